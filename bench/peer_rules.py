"""The bundled Kuaishou timeline written out by hand for the peers (ids only, whole days).

This is the benchmark's own restatement of rules.toml, for peers that cannot read it; each
peer writes the same five columns as linkcheck (surface, verdict, rule, next_change, note),
and run.py checks that linkcheck and the pandas peer agree on every row.
"""

OPEN_FROM = "2018-07-01"
OPEN_TO = "2022-02-28"
CUTOFF = "2022-03-01"
WINDOW_FROM = "2022-10-28"
TMALL_TO = "2022-12-31"
JD_SELF_TO = "2022-11-30"
UNION = ("tmall", "taobao", "jd-self", "jd-pop")
CARTS = ("livestream", "short-video")
NO_RULE = "no rule covers this"


def at(day: str, verdict: str) -> str:
    return f"{day}T00:00:00+08:00 {verdict}"


# what each (source, surface) becomes on 2022-10-28, when the windows open
REOPENS = {
    ("tmall", "livestream"): ("allowed", "kuaishou-2022-tmall-window", TMALL_TO, "2023-01-01"),
    ("tmall", "short-video"): ("allowed", "kuaishou-2022-tmall-window", TMALL_TO, "2023-01-01"),
    ("jd-self", "livestream"): (
        "allowed",
        "kuaishou-2022-jd-self-window",
        JD_SELF_TO,
        "2022-12-01",
    ),
    ("jd-self", "short-video"): (
        "allowed",
        "kuaishou-2022-jd-self-window",
        JD_SELF_TO,
        "2022-12-01",
    ),
    ("jd-self", "live-preview"): (
        "allowed",
        "kuaishou-2022-jd-self-preview",
        JD_SELF_TO,
        "2022-12-01",
    ),
    ("taobao", "livestream"): ("unknown", "kuaishou-2022-taobao-pending", None, None),
    ("taobao", "short-video"): ("unknown", "kuaishou-2022-taobao-pending", None, None),
    ("tmall", "merchant-page"): (
        "unknown",
        "kuaishou-2022-merchant-page-taobao-account",
        None,
        None,
    ),
    ("taobao", "merchant-page"): (
        "unknown",
        "kuaishou-2022-merchant-page-taobao-account",
        None,
        None,
    ),
}


def decide(source: str, surface: str, day: str) -> tuple[str, str, str, str]:
    """(verdict, rule, next_change, note) for a source id, surface id and YYYY-MM-DD day."""
    if source == "kuaishou-shop":
        if day >= OPEN_FROM:
            return "allowed", "kuaishou-shop", "", ""
        return "unknown", "", at(OPEN_FROM, "allowed"), NO_RULE
    if day < OPEN_FROM:
        return "unknown", "", at(OPEN_FROM, "allowed"), NO_RULE
    if day <= OPEN_TO:
        after = "denied" if source in UNION else "unknown"
        return "allowed", "kuaishou-2018-open", at(CUTOFF, after), ""
    if source not in UNION:
        return "unknown", "", "", NO_RULE
    reopen = REOPENS.get((source, surface))
    if reopen is None:
        return "denied", "kuaishou-2022-03-cutoff", "", ""
    verdict, rule, last, closes = reopen
    if day < WINDOW_FROM:
        return "denied", "kuaishou-2022-03-cutoff", at(WINDOW_FROM, verdict), ""
    if last is None:
        return verdict, rule, "", ""
    if day <= last:
        return verdict, rule, at(closes, "denied"), ""
    return "denied", "kuaishou-2022-03-cutoff", "", ""
