"""Product links → candidate sources: real-shaped links, hostile ones, and a property."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkcheck.errors import LinkError
from linkcheck.links import classify, link_host, shared_link

from .helpers import assert_clean_error

TABLE = Path(__file__).parent / "golden" / "links.csv"


def _rows():
    with TABLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


ROWS = _rows()
GOOD = [r for r in ROWS if not r["expected"].startswith("error:")]
BAD = [r for r in ROWS if r["expected"].startswith("error:")]


def test_the_table_is_big_enough():
    assert len(GOOD) >= 40
    assert len(BAD) >= 20


@pytest.mark.parametrize("row", GOOD, ids=[r["url"][:60] for r in GOOD])
def test_real_links(bundled, row):
    assert "|".join(bundled.classify(row["url"]).candidates) == row["expected"]


@pytest.mark.parametrize("row", BAD, ids=[r["url"][:60] for r in BAD])
def test_hostile_links_are_refused(bundled, row):
    with pytest.raises(LinkError) as info:
        bundled.classify(row["url"])
    message = str(info.value)
    assert row["expected"].removeprefix("error: ") in message
    assert len(message.splitlines()) <= 2
    assert "linkcheck sources" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://detail.tmall.com/item.htm?id=1\x00",
        "https://detail.tmall.com\r\n.evil.cn/",
        "https://detail.tmall.com/\x1b[31m",
        "https://detail.tmall.com/item\u202e",
        "https://detail.tmall.com/item\udcff",  # an undecodable byte from the shell
    ],
)
def test_control_characters_are_refused(bundled, url):
    with pytest.raises(LinkError, match="control or undecodable characters"):
        bundled.classify(url)


def test_a_huge_link_is_handled_and_the_message_stays_short(bundled):
    long_path = "https://detail.tmall.com/" + "a" * 100_000
    assert bundled.classify(long_path).candidates == ("tmall",)
    huge_host = "https://" + "a." * 50_000 + "evil.cn/"
    with pytest.raises(LinkError) as info:
        bundled.classify(huge_host)
    assert len(str(info.value)) < 300


def _domains(catalog) -> dict[str, set[str]]:
    """source id → every domain whose links may be that source (its own and its groups')."""
    out = {s.id: set(s.domains) for s in catalog.sources.values()}
    for group in catalog.groups.values():
        for member in group.members:
            out[member] |= set(group.domains)
    return out


LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)


@st.composite
def hosts(draw, known: list[str]):
    labels = draw(st.lists(LABEL, max_size=3))
    tail = draw(st.sampled_from(known) | st.lists(LABEL, min_size=1, max_size=3).map(".".join))
    joiner = draw(st.sampled_from([".", "", "-"]))
    host = ".".join(labels) + joiner + tail if labels else tail
    return host


def test_hosts_are_classified_only_on_label_boundaries(bundled):
    domains = _domains(bundled.catalog)
    known = sorted({d for ds in domains.values() for d in ds})

    @given(hosts(known), st.sampled_from(["https://", "http://", "", "//"]))
    def prop(host, scheme):
        try:
            resolved = classify(f"{scheme}{host}/item?id=1", bundled.catalog)
        except LinkError:
            return
        for source in resolved.candidates:
            assert any(host == d or host.endswith("." + d) for d in domains[source]), (
                host,
                source,
            )

    prop()


@given(st.text(max_size=200))
def test_any_text_is_a_host_or_a_link_error(text):
    try:
        host = link_host(text)
    except LinkError as exc:
        assert str(exc)
    else:
        assert host and host.isascii() and host == host.lower()


# ---------------------------------------------------------------------- through the CLI

JD = "https://item.jd.com/100012043978.html"
TB = "https://m.tb.cn/h.UQzXyZa?tk=AbCd2Xy3zQ"


@pytest.mark.parametrize(
    ("link", "day", "code", "verdicts"),
    [
        (JD, "2022-11-11", 3, {"jd-self": "allowed", "jd-pop": "unknown"}),
        (TB, "2022-11-11", 3, {"tmall": "allowed", "taobao": "unknown"}),
        (JD, "2022-06-01", 1, {"jd-self": "denied", "jd-pop": "denied"}),
        (TB, "2022-06-01", 1, {"tmall": "denied", "taobao": "denied"}),
    ],
)
def test_short_and_item_links_through_check(run, link, day, code, verdicts):
    result = run("check", link, "--on", day, "--json")
    assert result.exit_code == code
    doc = json.loads(result.stdout)
    assert doc["input"] == link
    for res in doc["results"]:
        assert {c["source"]: c["verdict"] for c in res["candidates"]} == verdicts
        if code == 3:
            assert (res["verdict"], res["reason"], res["rule"]) == (
                "unknown",
                "ambiguous_link",
                None,
            )
        else:
            cutoff = "kuaishou-2022-03-cutoff"
            assert (res["verdict"], res["rule"]["id"]) == ("denied", cutoff)


def test_ambiguous_link_in_plain_and_text_shows_candidates_and_hint(run):
    plain = run("check", JD, "-s", "livestream", "--on", "2022-11-11", "--explain")
    assert plain.stdout.startswith(
        "unknown\tkuaishou\tjd-union\tlivestream\t2022-11-11T00:00:00+08:00\t-\n"
    )
    assert "candidate jd-self: allowed (kuaishou-2022-jd-self-window)" in plain.stdout
    assert f"linkcheck check '{JD}' --as jd-self" in plain.stdout
    text = run("check", JD, "--on", "2022-11-11", "--format", "text", "--color", "never")
    flat = " ".join(text.stdout.split())
    assert "jd-self: allowed, jd-pop: unknown" in flat
    assert "--as jd-self" in flat


def test_as_states_the_exact_source(run):
    result = run("check", JD, "--as", "jd-self", "--on", "2022-11-11", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["source"], doc["input"], doc["verdict"]) == ("jd-self", JD, "allowed")
    assert run("check", JD, "--as", "京东第三方", "--on", "2022-11-11", "-q").exit_code == 3
    assert run("check", JD, "--as", "京东第三方", "--on", "2022-06-01", "-q").exit_code == 1


def test_as_must_agree_with_the_link(run):
    result = run("check", "https://detail.tmall.com/item.htm?id=1", "--as", "pinduoduo")
    assert_clean_error(result, "--as pinduoduo", "detail.tmall.com", "tmall")
    assert_clean_error(run("check", JD, "--as", "jd-selff"), "unknown source 'jd-selff'")


@pytest.mark.parametrize(
    ("link", "fragment"),
    [
        ("https://detail.tmall.com.evil.cn/item.htm", "unrecognized product link host"),
        ("https://detail.tmall.com@evil.cn/", "refused product link"),
        ("javascript:alert(1)", "scheme 'javascript:'"),
        ("https://evil.cn/?u=detail.tmall.com", "'evil.cn'"),
        ("https://detail.tmall.com/" + "x" * 100_000, None),
        # a share code given to check is said to be one (it was an unknown source name)
        ("￥AbCd1234￥", "'￥AbCd1234￥' is a Taobao share code (淘口令)"),
        ("￥AbCd1234￥ 打开手淘", "is a Taobao share code (淘口令)"),
    ],
)
def test_bad_links_through_the_cli(run, link, fragment):
    result = run("check", link, "--on", "2022-11-11")
    if fragment is None:  # a long but valid link is simply answered
        assert result.exit_code == 0
        return
    assert_clean_error(result, fragment, "linkcheck sources")


# ---------------------------------------------------------------------- longest match, ties

NESTED = """
schema = 1

[sources.mall]
name = "Mall"
domains = ["shop.example", "xn--fiqs8s.example"]

[sources.market]
name = "Market"
domains = ["market.shop.example"]

[sources.twin]
name = "Twin"
domains = ["shared.example"]

[sources.twin2]
name = "Twin two"
domains = ["shared.example"]

[groups.both]
name = "Both"
members = ["mall", "twin"]
domains = ["shared.example"]
"""


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    import linkcheck

    path = tmp_path_factory.mktemp("links") / "nested.toml"
    path.write_text(NESTED, encoding="utf-8")
    return linkcheck.load_rules([path])


@pytest.mark.parametrize(
    "host, ident, candidates",
    [
        ("shop.example", "mall", ("mall",)),
        ("www.shop.example", "mall", ("mall",)),
        ("market.shop.example", "market", ("market",)),  # the longer domain wins
        ("a.b.market.shop.example", "market", ("market",)),
        ("marketshop.example", None, None),  # label boundaries only
        # a tie: every entry declaring the domain, a group's members after, no repeats
        ("shared.example", "twin|twin2|mall", ("twin", "twin2", "mall")),
        ("x.shared.example", "twin|twin2|mall", ("twin", "twin2", "mall")),
        ("xn--fiqs8s.example", "mall", ("mall",)),  # a listed punycode domain is fine
        ("www.xn--fiqs8s.example", "mall", ("mall",)),
        ("detail.tmall.com", "tmall", ("tmall",)),  # the bundled domains still count
    ],
)
def test_the_longest_declared_domain_decides(nested, host, ident, candidates):
    from linkcheck.links import classify_host
    from linkcheck.model import Resolved

    if ident is None:
        with pytest.raises(LinkError, match=f"unrecognized product link host '{host}'"):
            classify_host(host, nested.catalog)
        return
    assert classify_host(host, nested.catalog) == Resolved(host, ident, candidates, "link", host)
    assert nested.classify(f"https://{host}/item?id=1").candidates == candidates


@pytest.mark.parametrize(
    "host",
    ["xn--80ak6aa92e.shop.example", "xn--abc.market.shop.example", "xn--p.xn--fiqs8s.example"],
)
def test_an_unlisted_punycode_label_is_refused(nested, host):
    from linkcheck.links import classify_host

    with pytest.raises(LinkError) as info:
        classify_host(host, nested.catalog)
    assert str(info.value).startswith(f"unrecognized product link host '{host}' (punycode)")


@pytest.mark.parametrize("text", ["TX", "XYZ", "天猫", "jd self", "JD自营"])
def test_names_without_link_characters_are_names(text):
    from linkcheck.names import looks_like_link

    assert looks_like_link(text) is False
    assert all(looks_like_link(f"a{ch}b") for ch in "./:\\@")


# ---------------------------------------------------------------------- exact hosts and words

HOW_LINE = "\n  pass a source id instead (`linkcheck sources` lists the ids and their link domains)"


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://detail.tmall.com/item htm?id=1", "detail.tmall.com"),  # a space in the path
        ("detail.tmall.com:443/a/b", "detail.tmall.com"),  # host:port is not a scheme
        ("detail.tmall.com/item.htm?id=1", "detail.tmall.com"),  # no scheme at all
        ("//detail.tmall.com/x", "detail.tmall.com"),  # scheme-relative
        ("https://DETAIL.tmall.com./x", "detail.tmall.com"),
    ],
)
def test_the_host_is_read_exactly(bundled, url, host):
    assert link_host(url) == host
    assert bundled.classify(url).input == url


@pytest.mark.parametrize("url, host", [("localhost:8080/a/b", "localhost"), ("tmall:443", "tmall")])
def test_a_dotless_host_with_a_port_is_not_a_scheme(url, host):
    assert link_host(url) == host


@pytest.mark.parametrize(
    "url, message",
    [
        ("", "empty product link"),
        ("   ", "empty product link"),
        ("https://1.2.3.4/x", "unrecognized product link host '1.2.3.4' (an IP address)"),
        ("https://[::1]/x", "unrecognized product link host '[::1]' (an IP address)"),
        ("https://1.0x7f/", "unrecognized product link host '1.0x7f' (an IP address)"),
        ("https://a.b.0x1/", "unrecognized product link host 'a.b.0x1' (an IP address)"),
        ("https://x.0X1/", "unrecognized product link host 'x.0x1' (an IP address)"),
        ("https://detail.tmall.com:80:90/", "unrecognized product link host 'detail.tmall.com:80'"),
        ("https://detail.tmall.com:99999/", "product link 'https://detail.tmall.com:99999/' has "
         "an invalid port '99999'"),
        ("https://detail.tmall.com/" + "a" * 200 + "\x00", "product link 'https://detail.tmall."
         "com/" + "a" * 52 + "...' contains control or undecodable characters"),
    ],
)  # fmt: skip
def test_refused_links_are_named_exactly(url, message):
    with pytest.raises(LinkError) as info:
        link_host(url)
    assert str(info.value) == message + HOW_LINE


def test_a_shorter_domain_declared_later_does_not_join_a_longer_match(tmp_path):
    import linkcheck
    from linkcheck.links import classify_host

    # the longer domain first this time: the shorter one, met afterwards, must not be added
    first, second = NESTED.index("[sources.mall]"), NESTED.index("[sources.market]")
    third = NESTED.index("[sources.twin]")
    reordered = NESTED[:first] + NESTED[second:third] + NESTED[first:second] + NESTED[third:]
    path = tmp_path / "reordered.toml"
    path.write_text(reordered, encoding="utf-8")
    rules = linkcheck.load_rules([path])
    assert classify_host("market.shop.example", rules.catalog).candidates == ("market",)
    assert classify_host("www.shop.example", rules.catalog).candidates == ("mall",)


# ---------------------------------------------------------------------- share text

# what the Taobao and JD apps put around a link: brackets, CJK, full-width punctuation,
# spaces; no character a URL is made of, no line break
SHARE_AROUND = st.text(
    alphabet="【】「」『』《》（）：，。！？淘宝京东商品点击链接直接打开复制这条信息 ～…·",
    max_size=20,
)
SCHEMES = st.sampled_from(["https://", "http://", "HTTPS://"])
PATHS = st.text(alphabet="abcXYZ0123456789-._~/?#=&%+", max_size=30).map(lambda p: "/" + p)


def _resolved(bundled, text: str):
    """(candidates) of the link in `text`, or the LinkError's class name."""
    try:
        return bundled.classify(text).candidates
    except LinkError:
        return "refused"


@given(before=SHARE_AROUND, after=SHARE_AROUND, scheme=SCHEMES, path=PATHS,
       row=st.sampled_from(GOOD + BAD))  # fmt: skip
def test_a_link_in_share_text_reads_as_the_link_alone(bundled, before, after, scheme, path, row):
    """Wrapping one link in share text changes nothing: every real link and every hostile
    one of the golden table, given its scheme, answers (or is refused) as it does alone."""
    link = row["url"]
    if not link.lower().startswith(("http://", "https://")):
        link = scheme + link.removeprefix("//")
    if any(ch.isspace() for ch in link):
        return
    text = f"{before}{link} {after}"
    assert _resolved(bundled, text) == _resolved(bundled, link), text


@given(before=SHARE_AROUND, after=SHARE_AROUND, scheme=SCHEMES, path=PATHS)
def test_the_host_of_share_text_is_its_links_host(before, after, scheme, path):
    """The reference: urllib's host of the one link put in the text."""
    from urllib.parse import urlsplit

    link = f"{scheme}detail.tmall.com{path}"
    assert link_host(f"{before}{link} {after}") == urlsplit(link).hostname


@given(before=SHARE_AROUND, between=SHARE_AROUND, scheme=SCHEMES, path=PATHS)
def test_two_links_in_share_text_are_refused_naming_both(before, between, scheme, path):
    first, second = f"{scheme}detail.tmall.com{path}", f"{scheme}evil.cn/x"
    with pytest.raises(LinkError) as info:
        link_host(f"{before}{first} {between}{second}")
    assert "holds 2 links" in str(info.value)
    assert first[:40] in str(info.value) and second in str(info.value)


@given(before=SHARE_AROUND, scheme=SCHEMES,
       glue=st.sampled_from([*"。．｡、，）】」·…～：？！", "\u3000x", "．cn"]))  # fmt: skip
def test_a_host_glued_to_more_text_is_never_the_host_before_it(bundled, before, scheme, glue):
    """`https://detail.tmall.com。evil.cn`: a browser folds `。` into `.` — the host is
    evil's. Text glued to a host with no space is refused, never read as the host before it."""
    text = f"{before}{scheme}detail.tmall.com{glue}evil.cn/item"
    if glue.startswith("\u3000"):  # an ideographic space ends the link, and what follows
        # it is a second link written without its scheme
        with pytest.raises(LinkError, match="holds 2 links"):
            link_host(text)
        return
    with pytest.raises(LinkError):
        bundled.classify(text)


@given(before=SHARE_AROUND, scheme=SCHEMES, space=st.sampled_from([" ", "\u3000", "  ", "\t"]),
       rest=st.sampled_from([".evil.cn/item.htm?id=1", "-evil.cn/x", "_evil.cn/x", "evil.cn:8080/x",
                             "1.2.3.4/x", "evil.cn?id=1", ":8080/x", "/item.htm?id=1", "@evil.cn",
                             "#x", "%2e.evil.cn/x"]))  # fmt: skip
def test_a_link_that_ends_at_its_host_with_more_of_a_link_after_a_space_is_refused(
    bundled, before, scheme, space, rest
):
    """`https://detail.tmall.com .evil.cn/item.htm?id=1` was Tmall's, allowed: the link ends
    at its host, and what follows the space reads as more of a host or of a link (the
    product's path is there, not in what was checked: a trial). Refused, never read as the
    host before the space."""
    with pytest.raises(LinkError):
        bundled.classify(f"{before}{scheme}detail.tmall.com{space}{rest}")


@pytest.mark.parametrize("after", ["CZ0001", "「保温杯」点击链接直接打开", "CZ0001 「杯」", "淘宝"])
def test_a_link_that_ends_at_its_host_with_words_after_it_is_the_link(bundled, after):
    """What share text puts after a link — a share code, a title in brackets, Chinese — is
    not more of a link: the host is the link's."""
    assert link_host(f"【天猫】https://detail.tmall.com {after}") == "detail.tmall.com"


def test_the_links_of_a_two_link_error_are_listed_as_the_language_lists(run):
    """In Chinese the links were joined by an ASCII ', ' (a trial): 、 as every list there;
    a checklist's cell keeps its English."""
    text = "https://detail.tmall.com/x https://item.jd.com/1.html"
    chinese = run("--lang", "zh", "check", text, "--on", "2022-11-11")
    assert "（https://detail.tmall.com/x、https://item.jd.com/1.html）" in chinese.stderr
    english = run("check", text, "--on", "2022-11-11")
    assert "(https://detail.tmall.com/x, https://item.jd.com/1.html)" in english.stderr


def test_a_second_scheme_inside_a_shared_link_does_not_hide_where_its_host_ends():
    """The authority ends at the first / ? # after the link's own `://`, even when the rest
    holds another `://` (a redirect parameter, a path): text glued after such a link is not
    glued to its host. (Mutation testing: `split("://")` without its limit left it alive.)"""
    assert (
        shared_link("买它 https://detail.tmall.com://item。") == "https://detail.tmall.com://item"
    )
    assert (
        shared_link("【淘宝】https://m.tb.cn/x?u=https://a.b。")
        == "https://m.tb.cn/x?u=https://a.b"
    )
    with pytest.raises(LinkError) as info:  # the host itself glued to text: refused, said so
        shared_link("买它 https://detail.tmall.com。x")
    assert str(info.value) == (
        "refused product link '买它 https://detail.tmall.com。x': its host is followed by '。' "
        "with no space between, which a browser may read as part of the host" + HOW_LINE
    )


@pytest.mark.parametrize(
    "text, message",
    [
        # the link taken out of share text is the one the message names
        ("买 https://detail.tmall.com:99999/ 开", "product link 'https://detail.tmall.com:99999/' "
         "has an invalid port '99999'"),
        ("ftp://tmall.com/x", "product link 'ftp://tmall.com/x' has scheme 'ftp:'; only http and "
         "https links are checked"),
        ("https://detail.tmall.com@evil.cn/x", "refused product link 'https://detail.tmall.com@"
         "evil.cn/x': an '@' or a backslash before the path is read differently by browsers and "
         "parsers"),
        # the Kelvin sign lowers to an ASCII k: it was app.kwaixiaodian.com, Kuaishou's shop
        # (a trial); a look-alike is named with its code point
        ("https://app.\u212awaixiaodian.com/x", "unrecognized product link host "
         "'app.\u212awaixiaodian.com': '\u212a' (U+212A) is no letter of a host name, however "
         "like one it looks"),
        ("https://detail.t\u043call.com/x", "unrecognized product link host "
         "'detail.t\u043call.com': '\u043c' (U+043C) is no letter of a host name, however like "
         "one it looks"),
        ("https://detail.tmall.com .evil.cn/item.htm?id=1", "refused product link "
         "'https://detail.tmall.com .evil.cn/item.htm?id=1': the link ends at its host "
         "(https://detail.tmall.com) and '.evil.cn/item.htm?id=1' follows a space, which may be "
         "more of the host; give the product's link alone"),
    ],
)  # fmt: skip
def test_refusals_name_the_link_word_for_word(text, message):
    """(Mutation testing: the scheme refusal's words, and the link named after it is taken
    out of share text, could change unseen.)"""
    with pytest.raises(LinkError) as info:
        link_host(text)
    assert str(info.value) == message + HOW_LINE
