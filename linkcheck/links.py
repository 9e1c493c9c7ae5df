"""Product link → candidate sources, from the link domains declared in the rules.

Only the parsed host decides, matched on label boundaries against declared domains (the
longest match wins). Anything parsers could disagree about — user information, a backslash
in the authority, control characters, non-http(s) schemes, non-ASCII or unlisted punycode
hosts — is refused rather than guessed.
"""

from __future__ import annotations

import re

from .errors import LinkError, shown
from .i18n import N_, Deferred
from .model import Catalog, Group, Resolved, Source
from .names import trimmed
from .words import Listed

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-]*):")
# http(s) and its separator typed with a Chinese input method's full-width colon or slashes
# (`https：//item.jd.com/1.html`) or letters (`ｈｔｔｐｓ://…`): only the scheme and its
# separator are made ASCII; the host is read as strictly as ever
_WIDE_SCHEME = re.compile(r"([hｈＨ][tｔＴ][tｔＴ][pｐＰ][sｓＳ]?)[:：][/／][/／]", re.IGNORECASE)
# a Taobao share code (淘口令): a token between two ￥ or $ signs, no link in it
_SHARE_CODE = re.compile(r"[￥$¥€₤][A-Za-z0-9]{4,}[￥$¥€₤]")
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\Z")
_PORT = re.compile(r"[0-9]{1,5}\Z")
_AUTHORITY_END = re.compile(r"[/?#]")
_SHOW = 80
HOW = Deferred(
    N_("\n  pass a source id instead (`linkcheck sources` lists the ids and their link domains)")
)


def _ascii(scheme: str) -> str:
    """http or https, written in full-width letters or not."""
    import unicodedata

    return unicodedata.normalize("NFKC", scheme).lower()


def _show(text: str) -> str:
    return shown(text, _SHOW)


# the characters of a URL in share text (RFC 3986's, without ' ( ), which share text wraps
# links in): a link runs from `http(s)://` to the first character not among them
_URL_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&*+,;=%"
)
_URL_START = re.compile(r"https?://", re.IGNORECASE)
# a link written without its scheme after a separator: a host of two labels or more, then a
# path (`、item.jd.com/2.html`, ` detail.tmall.com/item.htm?id=1`)
_BARE_LINK = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}/\S*"
_SECOND_BARE = re.compile(r"[,，、；;|\s]\s*(" + _BARE_LINK + ")")
# the word after a link in share text, where it is made of a URL's characters
_NEXT_WORD = re.compile(r"\s+([" + re.escape("".join(sorted(_URL_CHARS))) + r"]+)")
_ONE_LINK = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S*\Z|(?:(?!://)\S)*\Z")


def shared_link(text: str) -> str:
    """The link in `text`: the text itself when it is one link, else — share text as the
    Taobao or JD app copies it (`【淘宝】https://m.tb.cn/h.x?tk=… 「商品」点击链接直接打开`) —
    the one http(s) link in it. Only what is certain is taken: two links or more are an
    error naming them, and a host followed by anything but a space (`tmall.com。evil.cn`,
    which a browser reads as one host) is refused. Text with no http(s) link in it, and
    text without a space that starts with its scheme, are given back as they are (one link,
    checked as one: `https://detail.tмall.com` is an unrecognized host, not share text)."""
    if _ONE_LINK.match(text):
        return text  # one link (or none): checked as it is
    starts = [m.start() for m in _URL_START.finditer(text)
              if m.start() == 0 or text[m.start() - 1] not in _URL_CHARS]  # fmt: skip
    if not starts:
        return text
    links = []
    for start in starts:
        end = start
        while end < len(text) and text[end] in _URL_CHARS:
            end += 1
        links.append((text[start:end], end))
    if len(links) > 1:
        raise _several(text, [link for link, _end in links])
    link, end = links[0]
    start = starts[0]
    # a second link, written without its scheme, before or after the one
    if bare := _SECOND_BARE.search(" " + text[:start]):
        raise _several(text, [bare[1], link])
    if bare := _SECOND_BARE.search(" " + text[end:]):
        raise _several(text, [link, bare[1]])
    after = link.split("://", 1)[1]
    if end < len(text) and not text[end].isspace() and not _AUTHORITY_END.search(after):
        raise LinkError(
            N_(
                "refused product link '{text}': its host is followed by '{char}' with no space "
                "between, which a browser may read as part of the host{how}"
            ),
            text=_show(text),
            char=_show(text[end]),
            how=HOW,
        )
    word = _NEXT_WORD.match(text, end)
    if not _AUTHORITY_END.search(after) and word and not word[1].isalnum():
        # `https://detail.tmall.com .evil.cn/item.htm`, `… evil.cn:8080/x`: the link ends at
        # its host, and what follows the space reads as more of a host or a link — the
        # product's path is in it, not in what would be checked
        raise LinkError(
            N_(
                "refused product link '{text}': the link ends at its host ({link}) and '{word}' "
                "follows a space, which may be more of the host; give the product's link "
                "alone{how}"
            ),
            text=_show(text),
            link=_show(link),
            word=_show(word[1]),
            how=HOW,
        )
    return link


def _several(text: str, links: list[str]) -> LinkError:
    return LinkError(
        N_("'{text}' holds {count} links ({links}); give the one to check{how}"),
        text=_show(text),
        count=len(links),
        links=Listed(_show(link) for link in links),  # 、 in Chinese (it was ", ": a trial)
        how=HOW,
    )


def _one_link_only(text: str) -> None:
    """Refuse `text` when a second http(s) link starts in it, however it is joined to the
    first — a comma, 、, ；, or nothing (`…id=1，https://item.jd.com/2.html` was checked as
    the Tmall link alone): every `http(s)://` but one inside a query value or a path (after
    = or /: a redirect's target) starts a link."""
    starts = [m.start() for m in _URL_START.finditer(text)
              if m.start() == 0 or text[m.start() - 1] not in "=/"]  # fmt: skip
    if len(starts) < 2:
        return
    links = []
    for at, start in enumerate(starts):
        stop = starts[at + 1] if at + 1 < len(starts) else len(text)
        end = start
        while end < stop and text[end] in _URL_CHARS:
            end += 1
        links.append(text[start:end].rstrip(",;"))
    raise _several(text, links)


def _printable_or_space(text: str) -> bool:
    """Whether every character is printable or a space (an ideographic or no-break space
    separates share text's words), or a line break or tab between words of share text (the
    Taobao app's text comes on two lines, and was refused as holding control characters: a
    trial) — not one inside a link (`item.htm?\nid=1`), whose two sides are a link's
    characters; other control, format and undecodable characters never pass."""
    import unicodedata

    for at, ch in enumerate(text):
        if ch.isprintable() or unicodedata.category(ch) == "Zs":
            continue
        if ch not in _BREAKS:
            return False
        before, after = at, at
        while before > 0 and text[before - 1] in _BREAKS:
            before -= 1
        while after < len(text) and text[after] in _BREAKS:
            after += 1
        if before > 0 and after < len(text) and {text[before - 1], text[after]} <= _URL_CHARS:
            return False
    return True


_BREAKS = frozenset("\n\r\t")


def link_host(url: str) -> str:
    """The host a browser would visit for `url` (or for the one link in share text: see
    shared_link), lower-case without a trailing dot.

    Raises LinkError for anything that is not a plain http(s) link to a DNS name.
    """
    text = trimmed(url)  # a zero-width space copied at an end is none of the link
    shown = _show(text)
    if not text:
        raise LinkError(N_("empty product link{how}"), how=HOW)
    if text.count("://") > 1:  # before control characters: links on lines of their own
        _one_link_only(text)  # (a spreadsheet cell typed with Alt+Enter) are two links
    if not text.isprintable() and not _printable_or_space(text):
        raise LinkError(
            N_("product link '{text}' contains control or undecodable characters{how}"),
            text=shown,
            how=HOW,
        )
    if not text.isascii() and _WIDE_SCHEME.search(text):  # in share text too
        text = _WIDE_SCHEME.sub(lambda wide: _ascii(wide[1]) + "://", text)
    if not _ONE_LINK.match(text):
        text = shared_link(text)
        shown = _show(text)
    m = _SCHEME.match(text)
    if m and not _PORT.match(text[m.end() :].split("/", 1)[0]):  # `host:443` is not a scheme
        scheme = m[1].lower()
        if scheme not in ("http", "https"):
            raise LinkError(
                N_(
                    "product link '{text}' has scheme '{scheme}:'; only http and https "
                    "links are checked{how}"
                ),
                text=shown,
                scheme=scheme,
                how=HOW,
            )
        rest = text[m.end() :]
        if not rest.startswith("//"):
            raise LinkError(
                N_("product link '{text}' has no host after '{scheme}:'{how}"),
                text=shown,
                scheme=scheme,
                how=HOW,
            )
        rest = rest[2:]
    else:
        rest = text[2:] if text.startswith("//") else text
    end = _AUTHORITY_END.search(rest)
    authority = rest[: end.start()] if end else rest
    if end and (bare := _SECOND_BARE.search(rest, end.start())):  # …id=1、item.jd.com/2.html
        raise _several(text, [text[: len(text) - len(rest) + bare.start()], bare[1]])
    if "@" in authority or "\\" in authority:
        raise LinkError(
            N_(
                "refused product link '{text}': an '@' or a backslash before the "
                "path is read differently by browsers and parsers{how}"
            ),
            text=shown,
            how=HOW,
        )
    host = authority
    if host.startswith("["):
        raise LinkError(
            N_("unrecognized product link host '{host}' (an IP address){how}"),
            host=_show(host), how=HOW,
        )  # fmt: skip
    if ":" in host and any(ch.isspace() for ch in host):  # words, not a host and port:
        # `x evilhttps://…` said "an invalid port ''" (a trial)
        raise LinkError(
            N_("'{text}' holds no product link (one starts with https:// or a host such as "
               "item.jd.com){how}"),
            text=shown, how=HOW,
        )  # fmt: skip
    if ":" in host:
        host, port = host.rsplit(":", 1)
        if not _PORT.match(port) or int(port) > 65535:
            raise LinkError(
                N_("product link '{text}' has an invalid port '{port}'{how}"),
                text=shown,
                port=_show(port),
                how=HOW,
            )
    written = host  # as written: the Kelvin sign K lowers to an ASCII k
    host = host.lower()
    if host.endswith("."):  # the root label: `tmall.com.` is `tmall.com`
        host = host[:-1]
    if not host.strip("."):  # `.`, `..`, `./x`, `http://`: no name of a source, and no host
        raise LinkError(
            N_("'{text}' is neither a source nor a product link: it has no host{how}"),
            text=shown,
            how=HOW,
        )
    if not m and not text.startswith("//") and "." not in host:  # no scheme, no host name:
        if _SHARE_CODE.search(text):  # what the Taobao app copies instead of a link
            raise LinkError(
                N_("'{text}' is a Taobao share code (淘口令), not a product link: open it in "
                   "the Taobao app and copy the item's link{how}"),
                text=shown, how=HOW,
            )  # fmt: skip
        raise LinkError(
            N_("'{text}' holds no product link (one starts with https:// or a host such as "
               "item.jd.com){how}"),
            text=shown, how=HOW,
        )  # fmt: skip
    if not written.isascii():
        odd = next(ch for ch in written if not ch.isascii())
        raise LinkError(
            N_("unrecognized product link host '{host}': '{char}' (U+{code}) is no letter of "
               "a host name, however like one it looks{how}"),
            host=_show(written), char=_show(odd), code=f"{ord(odd):04X}", how=HOW,
        )  # fmt: skip
    if not _HOST.match(host):
        raise LinkError(
            N_("unrecognized product link host '{host}'{how}"), host=_show(host), how=HOW
        )
    if host.rsplit(".", 1)[-1].isdigit() or host.rsplit(".", 1)[-1].startswith("0x"):
        raise LinkError(
            N_("unrecognized product link host '{host}' (an IP address){how}"),
            host=_show(host), how=HOW,
        )  # fmt: skip
    return host


def classify(url: str, catalog: Catalog) -> Resolved:
    """The candidate sources a product link proves; LinkError if none does."""
    found = classify_host(link_host(url), catalog)
    return Resolved(url, found.id, found.candidates, "link", found.host)


def classify_host(host: str, catalog: Catalog) -> Resolved:
    """The candidate sources for a host already read by link_host()."""
    labels = host.split(".")
    best: tuple[int, list[str], str] | None = None
    entries: list[Source | Group] = [*catalog.sources.values(), *catalog.groups.values()]
    for entry in entries:
        for domain in entry.domains:
            if host == domain or host.endswith("." + domain):
                size = domain.count(".") + 1
                if best is None or size > best[0]:
                    best = (size, [entry.id], domain)
                elif size == best[0] and entry.id not in best[1]:
                    best[1].append(entry.id)
    if best is None:
        raise LinkError(
            N_("unrecognized product link host '{host}'{how}"), host=_show(host), how=HOW
        )
    _, ids, domain = best
    # a punycode label the rules did not list could spell a look-alike: never guess
    extra = labels[: len(labels) - (domain.count(".") + 1)]
    if any(label.startswith("xn--") for label in extra):
        raise LinkError(
            N_("unrecognized product link host '{host}' (punycode){how}"), host=_show(host), how=HOW
        )
    candidates: list[str] = []
    for ident in ids:
        members = catalog.groups[ident].members if ident in catalog.groups else (ident,)
        candidates.extend(m for m in members if m not in candidates)
    label = ids[0] if len(ids) == 1 else "|".join(candidates)
    return Resolved(host, label, tuple(candidates), "link", host)
