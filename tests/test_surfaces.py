"""One surface grammar for `-s`, batch cells, `timeline` and `upcoming` (issue: One place for
each behaviour): the same text names the same surfaces everywhere."""

from __future__ import annotations

import csv
import io

import pytest

from .helpers import assert_clean_error

ALL = ["livestream", "short-video", "merchant-page", "live-preview"]


@pytest.mark.parametrize(
    "text, ids",
    [
        ("直播、短视频", ["livestream", "short-video"]),
        ("live,video", ["livestream", "short-video"]),
        ("短视频；直播", ["short-video", "livestream"]),
        ("直播 / 直播间", ["livestream"]),  # one surface named twice is one
        ("直播+短视频", ["livestream", "short-video"]),  # a trial: unknown surface
        ("直播＋短视频", ["livestream", "short-video"]),
        ("live & video", ["livestream", "short-video"]),
        ("all", ALL),
        ("*", ALL),
        ("全部", ALL),
        ("livestream, all", ALL),
    ],
)
def test_check_and_batch_read_a_surface_text_alike(run, bundled, text, ids):
    assert list(bundled.surface_list([text])) == ids
    check = run("check", "tmall", "-s", text, "--on", "2022-11-11", "--format", "plain")
    assert [line.split("\t")[3] for line in check.stdout.splitlines()] == ids
    batch = run("batch", "-", "--on", "2022-11-11", "--format", "csv",
                input=f'source,surface\ntmall,"{text}"\n')  # fmt: skip
    rows = list(csv.reader(io.StringIO(batch.stdout, newline="")))
    assert [r[2] for r in rows[1:]] == ids


def test_no_surface_given_is_the_default_two(run, bundled):
    assert bundled.surface_list([]) == ("livestream", "short-video")
    batch = run("batch", "-", "--on", "2022-11-11", "--format", "csv",
                input="source,surface\ntmall,\n")  # fmt: skip
    assert [r[2] for r in csv.reader(io.StringIO(batch.stdout, newline=""))][1:] == [
        "livestream",
        "short-video",
    ]


@pytest.mark.parametrize("args", [["check", "tmall", "--on", "2022-11-11"], ["timeline", "tmall"]])
def test_an_empty_surface_option_is_an_error_not_the_default(run, args):
    result = run(*args, "-s", "")
    assert_clean_error(result, "empty surface: give a surface name or `all`")


def test_an_unknown_surface_is_the_same_message_in_check_and_batch(run):
    check = run("check", "tmall", "-s", "直播间、橱窗", "--on", "2022-11-11")
    assert_clean_error(check, "unknown surface '橱窗'")
    batch = run("batch", "-", "--on", "2022-11-11", "--format", "csv", "--fail-on", "never",
                input="source,surface\ntmall,直播间、橱窗\n")  # fmt: skip
    assert "unknown surface '橱窗'" in batch.stdout
