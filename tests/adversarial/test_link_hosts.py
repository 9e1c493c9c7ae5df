"""The link fast path of a checklist (deciding.link_prefix): a row whose link starts like
one seen before is answered from the host decided then, without reading the link again.
That is safe only if everything links.link_host reads from such a link is in its prefix;
attacked here with the golden link table (hostile links included) given random tails, and
through whole checklists whose every row must be answered as that link alone is."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.batch.deciding import link_prefix
from linkcheck.batch.run import ChecklistOptions, run_checklist
from linkcheck.errors import LinkError
from linkcheck.links import link_host

from ..helpers import examples

TABLE = Path(__file__).parent.parent / "golden" / "links.csv"
with TABLE.open(encoding="utf-8") as f:
    URLS = [r["url"] for r in csv.DictReader(line for line in f if not line.startswith("#"))]
# what could make a parser read a link's host differently, or make it share text
TAIL = st.lists(
    st.sampled_from(
        [
            "/",
            "?",
            "#",
            "@",
            "\\",
            ":",
            ".",
            " ",
            "\t",
            "\u3000",
            "\x00",
            "\u202e",
            "\udcff",
            "a",
            "1",
            "evil.cn",
            "tmall.com",
            "%2F",
            "//",
            "https://x.cn",
            "【淘宝】",
            "\n",
        ]
    ),
    max_size=6,
).map("".join)
NOW = datetime(2022, 11, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def _host(url: str) -> str | None:
    try:
        return link_host(url)
    except LinkError:
        return None


@settings(max_examples=examples(2000), deadline=None)
@given(url=st.sampled_from(URLS), cut=st.integers(0, 80), tail=TAIL)
def test_a_links_prefix_decides_its_host(url, cut, tail):
    text = url[:cut] + tail if cut < len(url) else url + tail
    prefix = link_prefix(text)
    if prefix is not None:
        assert text.startswith(prefix)
        assert _host(text) == _host(prefix), (text, prefix)


@pytest.mark.parametrize(
    "url, prefix",
    [
        ("https://detail.tmall.com/item.htm?id=1", "https://detail.tmall.com"),
        ("HTTP://Item.JD.com:443?x#y", "HTTP://Item.JD.com:443"),
        ("https://user@tmall.com/", "https://user@tmall.com"),  # refused by link_host, whole
        ("https://detail.tmall.com/item htm", None),  # a space: share text's rules apply
        ("https://detail.tmall.com/\u202e", None),  # unprintable: refused, read whole
        ("【淘宝】https://m.tb.cn/h.x", None),
        ("detail.tmall.com/item.htm", None),  # no scheme: read whole
        ("ftp://tmall.com/", None),
    ],
)
def test_the_prefix_is_the_scheme_and_authority_of_a_plain_link(url, prefix):
    assert link_prefix(url) == prefix


def _answers(text: str) -> list[list[str]]:
    sink = io.BytesIO()
    options = ChecklistOptions(input_format="csv", now=NOW, when="2022-11-11")
    run_checklist(io.BytesIO(text.encode()), sink, options=options)
    return list(csv.reader(io.StringIO(sink.getvalue().decode(), newline="")))[1:]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(URLS), TAIL,
                               st.sampled_from(["", "livestream", "短视频"])),
                     min_size=1, max_size=12))  # fmt: skip
def test_every_row_is_answered_as_its_link_alone(rows):
    """A checklist of links sharing hosts (and hostile ones) answers each row as a checklist
    of that row alone does: nothing one row's link proved leaks into another's."""
    lines = []
    for url, tail, surface in rows:
        out = io.StringIO()
        csv.writer(out).writerow([url + tail.replace("\udcff", "\ufffd"), surface])
        lines.append(out.getvalue())
    together = _answers("link,surface\r\n" + "".join(lines))
    alone = [answer for line in lines for answer in _answers("link,surface\r\n" + line)]
    assert together == alone
