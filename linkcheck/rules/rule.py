"""One [[rule]] table → a Rule in the catalog, every problem recorded: its id (and
override), platform, verdict word, sources, surfaces, window and citation.

Each part is read by its own function, which records its problems and returns INVALID when
the part cannot be used; the rule is added only when no part is INVALID.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..i18n import N_, Deferred, Message
from ..model import VERDICT_OF, Citation, Rule
from ..names import closest, did_you_mean
from .schema import CITATION_KEYS, NAMED, REQUIRED_RULE_KEYS, RULE_KEYS, written

INVALID = object()  # a part of the rule that was reported and cannot be used


def representable(at: datetime) -> bool:
    """Whether the instant, shown in any zone, is a date Python can hold (not year 0 or
    10000 once an offset is applied)."""
    from datetime import UTC

    try:
        utc = at.astimezone(UTC)
        utc - timedelta(days=2)
        utc + timedelta(days=2)
    except (OverflowError, ValueError):
        return False
    return True


def _id_free(reader, table: dict, where: str, ident: str) -> bool:
    """Whether the rule's id may be defined here (new, or an override), said where not; the
    id is noted as read, for a later rule of the same id."""
    catalog = reader.catalog
    earlier = catalog.rule_by_id.get(ident)
    earlier_file = earlier.file if earlier else catalog.rule_ids_read.get(ident)
    catalog.rule_ids_read[ident] = reader.file
    named = Message(NAMED["rules"], id=ident)
    return reader.may_replace(table, where, named, earlier_file, "id")


def read_rule(reader, table: dict, position: int) -> None:
    """Read the [[rule]] at `position` of the reader's file into its catalog."""
    ident = table.get("id")
    # a rule with no id is its position alone (no English words in a Chinese message)
    where = f"[[rule]] #{position}" + (f" '{ident}'" if isinstance(ident, str) else "")
    reader.unknown_keys(table, RULE_KEYS, where)
    missing = [key for key in REQUIRED_RULE_KEYS if key not in table]
    for key in missing:
        reader.error(where, N_("missing '{key}'"), key, key=key)
    if missing:  # the rule is left out; what it does say is checked all the same (every
        if isinstance(ident, str) and "id" not in missing:  # problem at once: a typo'd key
            _id_free(reader, table, where, ident)  # hid the rest, an id taken too
        _present_parts(reader, table, where)
        return
    if not isinstance(ident, str):
        reader.error(where, N_("'id' must be a string"), "id")
        return
    if not reader.check_id(ident, where):
        _present_parts(reader, table, where)
        return
    if not _id_free(reader, table, where, ident):
        _present_parts(reader, table, where)  # an id taken hides none of its other problems
        return
    catalog = reader.catalog
    earlier = catalog.rule_by_id.get(ident)  # an override replaces it (_id_free allowed it)
    parts = (
        _platform(reader, table, where),
        _word(reader, table, where),
        _sources(reader, table, where),
        _surfaces(reader, table, where),
        _window(reader, table, where),
    )
    note = reader.text(table, "note", where)
    note_zh = reader.text(table, "note_zh", where)
    cited = citations(reader, table, where)
    if INVALID in parts:
        return
    platform, word, (sources, sources_text), (surfaces, surfaces_text), window = parts
    if earlier is not None:
        catalog.rules.remove(earlier)
    start, end, start_text, end_text = window
    first, *more = cited or (None,)
    rule = Rule(ident, platform, word, sources, surfaces, start, end, start_text, end_text, note,
                first, reader.file, position, reader.loader.next_order(), sources_text,
                surfaces_text, note_zh, tuple(more))  # fmt: skip
    catalog.rules.append(rule)
    catalog.rule_by_id[ident] = rule


def _present_parts(reader, table: dict, where: str) -> None:
    """Check the parts a rule that misses a required key does have (reported as any rule's)."""
    for key, part in (("platform", _platform), ("verdict", _word), ("sources", _sources),
                      ("surfaces", _surfaces)):  # fmt: skip
        if key in table:
            part(reader, table, where)
    _window(reader, table, where)
    reader.text(table, "note", where)
    reader.text(table, "note_zh", where)
    citations(reader, table, where)


def _platform(reader, table: dict, where: str):
    platform = table["platform"]
    if isinstance(platform, str) and platform in reader.catalog.platforms:
        return platform
    shown = platform if isinstance(platform, str) else written(platform)
    reader.unknown(where, "platform", shown, reader.catalog.index("platform"), "platform")
    return INVALID


# what a maintainer may write for a verdict, in Chinese most often: the word it means
_VERDICT_WORDS = {
    **dict.fromkeys(("允许", "可以", "可", "能", "开放", "放开", "allowed", "yes"), "allow"),
    **dict.fromkeys(("禁止", "不允许", "不可以", "不可", "不能", "关闭", "denied", "no"), "deny"),
    **dict.fromkeys(("未知", "待定", "不确定", "不明", "unclear", "unsure"), "unknown"),
}


def _word(reader, table: dict, where: str):
    """The rules file's word: allow, deny or unknown."""
    word = table["verdict"]
    if isinstance(word, str) and word in VERDICT_OF:
        return word
    shown = word if isinstance(word, str) else written(word)
    meant = _VERDICT_WORDS.get(str(shown).strip().lower())
    hint = did_you_mean([meant] if meant else closest(str(shown), {v: v for v in VERDICT_OF}, n=1))
    reader.error(
        where,
        N_("verdict '{text}' must be allow, deny or unknown{hint}"),
        "verdict",
        text=shown,
        hint=hint,
    )
    return INVALID


def _sources(reader, table: dict, where: str):
    """(source ids, groups expanded to their members; the names as written)."""
    catalog = reader.catalog
    written = reader.strings(table, "sources", where)
    sources: set[str] = set()
    ok = bool(written)
    for name in written:
        if name in catalog.sources:
            sources.add(name)
        elif name in catalog.groups:
            sources.update(catalog.groups[name].members)
        else:
            known = (*catalog.sources, *catalog.groups)  # 天猫: its id, tmall, suggested
            reader.unknown(where, "source", name, known, "sources", names=catalog.index("source"))
            ok = False
    if not written:
        reader.error(where, N_("'sources' must name at least one source or group"), "sources")
    return (frozenset(sources), written) if ok else INVALID


def _surfaces(reader, table: dict, where: str):
    """(surface ids, or None for every surface; the names as written)."""
    written = reader.strings(table, "surfaces", where)
    if table["surfaces"] == "*" or written == ("*",):
        return None, written
    known = tuple(reader.catalog.surfaces)
    ok = bool(written)
    for name in written:
        if name not in known:
            reader.unknown(
                where,
                "surface",
                name,
                tuple(known),
                "surfaces",
                names=reader.catalog.index("surface"),  # 直播: its id, livestream, suggested
                after=Deferred(N_('; use ids or "*"')),
            )
            ok = False
    if not written:
        reader.error(where, N_("'surfaces' must list surface ids, or be \"*\" for all"), "surfaces")
    return (frozenset(written), written) if ok else INVALID


def _window(reader, table: dict, where: str):
    """(start, end, start as written, end as written); the end after the start."""
    start, start_text = bound(reader, table, "start", where)
    end, end_text = bound(reader, table, "end", where)
    if reader.tz is None:  # the file's zone is wrong (said): an end before its start is too
        _in_order_without_a_zone(reader, table, where)
        return INVALID
    if start is INVALID or end is INVALID:
        return INVALID
    if start is not None and end is not None and end <= start:
        _not_after(reader, where, start_text, end_text, before=end < start)
        return INVALID
    return start, end, start_text, end_text


def _not_after(reader, where: str, start_text, end_text, before: bool) -> None:
    """Say a window's end is before its start (or the same instant), as written."""
    relation = Deferred(N_("is before") if before else N_("is not after"))
    reader.error(where, N_("end {end_text} {relation} start {start_text}"), "end",
                 end_text=end_text, relation=relation, start_text=start_text)  # fmt: skip


def _in_order_without_a_zone(reader, table: dict, where: str) -> None:
    """Say a window whose end is not after its start where that needs no zone: two dates,
    wall times (a date's first, an end date's next day's first), or two offset datetimes."""
    start, end = table.get("start"), table.get("end")
    if not isinstance(start, date) or not isinstance(end, date):  # a datetime is a date
        return

    def wall(value: date, is_end: bool) -> datetime:
        if isinstance(value, datetime):
            return value
        day = value + timedelta(days=1) if is_end and value < date.max else value
        return datetime(day.year, day.month, day.day)

    first, after = wall(start, False), wall(end, True)
    if (first.tzinfo is None) != (after.tzinfo is None):
        return
    if after <= first:
        _not_after(reader, where, start.isoformat(), end.isoformat(), before=after < first)


def bound(reader, table: dict, key: str, where: str):
    """A window bound → (first instant or None when absent, text as written), or
    (INVALID, None). The one place where a date end becomes the first instant of the
    following day (ends are inclusive days)."""
    value = table.get(key)
    if value is None:
        return None, None
    if isinstance(value, datetime | date):
        if reader.tz is None:  # the file's zone is invalid: already reported
            return INVALID, None
        if isinstance(value, datetime):
            at = value if value.tzinfo else value.replace(tzinfo=reader.tz)
        else:
            at = reader.day_start(value, after=(key == "end"))
        if at is not None and representable(at):
            return at, value.isoformat()
        kind = f"{value.isoformat()}, too near the ends of the calendar (years 2 to 9998)"
    else:
        kind = "a time of day without a date" if isinstance(value, time) else written(value)
    reader.error(
        where,
        N_(
            "'{key}' is {kind}: use a date (2022-10-28), a local datetime "
            "(2022-10-28T20:00:00) or an offset datetime "
            "(2022-10-28T20:00:00+08:00)"
        ),
        key,
        key=key,
        kind=kind,
    )
    return INVALID, None


def citations(reader, table: dict, where: str) -> tuple[Citation, ...]:
    """`citation`: one table, or an array of tables when a rule rests on several sentences
    (the first is the rule's main one)."""
    value = table.get("citation")
    if value is None:
        return ()
    tables = value if isinstance(value, list) else [value]
    if not tables or not all(isinstance(t, dict) for t in tables):
        reader.error(
            where,
            N_(
                '\'citation\' must be a table: { quote = "…", document = "…", by = "…" }, or '
                "an array of such tables"
            ),
            "citation",
        )
        return ()
    found = []
    for number, cited in enumerate(tables, start=1):
        place = f"{where} citation" + (f" #{number}" if len(tables) > 1 else "")
        one = _citation(reader, cited, place)
        if one is not None:
            found.append(one)
    return tuple(found)


def _citation(reader, value: dict, place: str) -> Citation | None:
    reader.unknown_keys(value, CITATION_KEYS, place)
    quote = reader.text(value, "quote", place)
    source = reader.text(value, "source", place)
    ident = reader.text(value, "document", place)
    if not quote:
        reader.error(place, N_("missing 'quote'"), "citation.quote")
    if ident:
        document = reader.catalog.documents.get(ident)
        if document is None:
            reader.unknown(place, "document", ident, tuple(reader.catalog.documents),
                           "citation.document")  # fmt: skip
            return None
        if source:
            reader.error(
                place,
                N_("give 'document' or 'source', not both ('source' is the older way of "
                   "naming the file)"),
                "citation.source",
            )  # fmt: skip
            return None
        source = document.file
    by = reader.text(value, "by", place) or None
    url = reader.text(value, "url", place) or None
    inference = reader.text(value, "inference", place) or None
    inference_zh = reader.text(value, "inference_zh", place) or None
    if inference_zh and not inference:
        reader.error(place, N_("'inference_zh' needs 'inference', the English text"),
                     "citation.inference")  # fmt: skip
    return Citation(quote, source, by, url, ident or None, inference, inference_zh)
