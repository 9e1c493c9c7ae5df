"""JSON Lines checklists: every key of every object survives, values untouched
(issue: Hardening)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from linkcheck import batch
from linkcheck.batch import readers

LINES = [
    '{"sku": 1.0, "source": "tmall", "date": "2022-11-11"}',
    '{"sku": -0.0, "source": "pdd", "date": "2022-11-11", "price": 1e400}',
    '{"url": "https://detail.tmall.com/item.htm?id=1", "date": "2022-11-11", '
    '"big": ' + "9" * 5000 + ', "nested": {"a": [1.50, {"b": 2E0}], "t": true, "n": null}}',
]
ANSWER_KEYS = ("surface", "verdict", "rule", "next_change", "note")


def test_jsonl_output_passes_every_object_through_whole(run):
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream",
                 "--fail-on", "never", input="\n".join(LINES) + "\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == 3
    for line, written in zip(LINES, out, strict=True):
        # the object as it was, numbers spelled as they were, then the answer
        assert written.startswith(line[:-1] + ', "surface": "livestream", "verdict": ')
        assert set(readers._JSON.decode(written)) == set(readers._JSON.decode(line)) | set(
            ANSWER_KEYS
        )
    assert json.loads(out[0])["verdict"] == "allowed"
    assert readers._JSON.decode(out[2])["verdict"] == "allowed"  # its url was read though no
    # earlier object had a url key


def test_tabular_output_has_the_union_of_keys_in_first_seen_order(run):
    result = run("batch", "-", "--input-format", "jsonl", "--format", "csv", "-s", "livestream",
                 "--fail-on", "never", input="\n".join(LINES) + "\n")  # fmt: skip
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == ["sku", "source", "date", "price", "url", "big", "nested", *ANSWER_KEYS]
    assert rows[1][:3] == ["1.0", "tmall", "2022-11-11"]
    assert rows[2][0] == "-0.0" and rows[2][3] == "1e400"
    assert rows[3][5] == "9" * 5000
    assert rows[3][6] == '{"a": [1.50, {"b": 2E0}], "t": true, "n": null}'


def test_an_input_key_named_like_an_answer_keeps_its_value(run):
    line = '{"source": "tmall", "date": "2022-11-11", "verdict": "mine", "verdict_input": 2}\n'
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream", input=line)
    obj = json.loads(result.stdout)
    assert obj["verdict"] == "allowed"
    assert obj["verdict_input"] == "mine"
    assert obj["verdict_input_input"] == 2


def test_nan_and_infinity_are_not_json(run):
    data = '{"source": "tmall", "price": NaN}\n{"source": "tmall", "date": "2022-11-11"}\n'
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream",
                 "--fail-on", "never", input=data)  # fmt: skip
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["verdict"] == "error"
    assert first["note"] == (
        'line 1 is not JSON (NaN is not a JSON value): {"source": "tmall", "price": NaN}'
    )
    assert second["verdict"] == "allowed"


@pytest.mark.parametrize(
    ("line", "note"),
    [("[1, 2]", "line 1 is not a JSON object: [1, 2]"),
     ('"天猫"', 'line 1 is not a JSON object: "天猫"'),
     ("{天猫", "line 1 is not JSON (Expecting property name enclosed in double quotes): {天猫"),
     ("[" + "1," * 150 + "1]", "line 1 is not a JSON object: [" + "1," * 98 + "...")],
)  # fmt: skip
def test_a_line_that_is_not_an_object_keeps_its_text_in_the_note(run, line, note):
    # the row's cells are empty: its note is all that is left of the line (a second trial:
    # '[1,2]' came back as 'line 5 is not a JSON object' alone)
    data = line + '\n{"source": "tmall", "date": "2022-11-11"}\n'
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream",
                 "--fail-on", "never", input=data)  # fmt: skip
    first = json.loads(result.stdout.splitlines()[0])
    assert first["verdict"] == "error" and first["note"] == note


def test_a_100k_deep_line_is_an_error_row_not_a_crash(run):
    deep = '{"source": "tmall", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    data = deep + '\n{"source": "tmall", "date": "2022-11-11"}\n'
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream",
                 "--fail-on", "never", input=data)  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["note"] == "line 1 is nested more than 64 levels deep"
    assert second["verdict"] == "allowed"


def test_brackets_inside_strings_do_not_count_as_depth():
    line = json.dumps({"source": "tmall", "title": "[" * 500 + '\\"{' * 100})
    assert not readers._too_deep(line)
    assert readers._too_deep('{"a": ' + "[" * 65 + "]" * 65 + "}")
    assert not readers._too_deep('{"a": ' + "[" * 63 + "]" * 63 + "}")


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, like stdin from a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._data.readinto(buffer)


def test_a_pipe_is_spooled_so_it_can_be_read_twice():
    data = ("\n".join(LINES) + "\n").encode()
    header, rows, encoding = batch.read_input(_Pipe(data), "jsonl", None)[:3]
    assert header == ["sku", "source", "date", "price", "url", "big", "nested"]
    assert len(list(rows)) == 3 and encoding == "utf-8"


@pytest.mark.subprocess
def test_jsonl_from_a_real_pipe():
    code = "from linkcheck.cli import main; main()"
    args = ["batch", "-", "--input-format", "jsonl", "-s", "livestream", "--fail-on", "never"]
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        input="\n".join(LINES) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [readers._JSON.decode(line)["verdict"] for line in done.stdout.splitlines()] == [
        "allowed",
        "unknown",
        "allowed",
    ]


def test_a_byte_order_mark_at_a_lines_start_is_none_of_it(run):
    # two files joined with cat, the second saved with a mark: its first line was an error
    # row, 'is not JSON (Expecting value)' (a third trial)
    data = '{"source": "tmall"}\n\ufeff{"source": "tmall"}\n'
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream", "--on",
                 "2022-11-11", input=data.encode("utf-8"))  # fmt: skip
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == [
        "allowed", "allowed",
    ]  # fmt: skip
