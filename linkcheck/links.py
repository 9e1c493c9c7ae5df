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
from .model import Catalog, Resolved

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-]*):")
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\Z")
_PORT = re.compile(r"[0-9]{1,5}\Z")
_AUTHORITY_END = re.compile(r"[/?#]")
_SHOW = 80
HOW = Deferred(
    N_("\n  pass a source id instead (`linkcheck sources` lists the ids and their link domains)")
)


def looks_like_link(text: str) -> bool:
    """Whether SOURCE is meant as a link rather than a name: names have no . / : \\ or @."""
    return any(ch in text for ch in "./:\\@")


def _show(text: str) -> str:
    return shown(text, _SHOW)


def link_host(url: str) -> str:
    """The host a browser would visit for `url`, lower-case without a trailing dot.

    Raises LinkError for anything that is not a plain http(s) link to a DNS name.
    """
    text = url.strip()
    shown = _show(text)
    if not text:
        raise LinkError(N_("empty product link{how}"), how=HOW)
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text) or not text.isprintable():
        raise LinkError(
            N_("product link '{text}' contains control or undecodable characters{how}"),
            text=shown,
            how=HOW,
        )
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
    if ":" in host:
        host, port = host.rsplit(":", 1)
        if not _PORT.match(port) or int(port) > 65535:
            raise LinkError(
                N_("product link '{text}' has an invalid port '{port}'{how}"),
                text=shown,
                port=_show(port),
                how=HOW,
            )
    host = host.lower()
    if host.endswith("."):  # the root label: `tmall.com.` is `tmall.com`
        host = host[:-1]
    if not host.isascii() or not _HOST.match(host):
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
    entries = [*catalog.sources.values(), *catalog.groups.values()]
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
