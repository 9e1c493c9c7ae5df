"""Turning answers into text: JSON documents, tab-separated plain lines, and rich text.

    common    colours and marks, JSON text, day words, and the one way words reach a
              terminal: echo() and the console(), both escaping what an input could smuggle
    fit       plain text fitted to the terminal: display width, wrapping, listings
    check     `check`: its JSON document, plain lines, --explain and the terminal view
    tables    aligned listings, the batch table, summary and progress
    rules     the `rules` views: list, show, lint, diff
    windows   `timeline` and `upcoming`

The plain words of an answer that checklists share are in linkcheck.words. rich is imported
only inside the functions that draw with it, so a plain or JSON answer never pays for it.
"""

from __future__ import annotations

# name → submodule: each is imported on first use, so `check --format plain` loads only
# render.check and render.common (a cold start pays for every module it imports)
_HOME = {
    "rule_row": "rules",
    "rules_list_document": "rules",
    "rules_list_plain": "rules",
    "RULES_LIST_COLUMNS": "rules",
    "rule_document": "rules",
    "lint_document": "rules",
    "lint_lines": "rules",
    "diff_document": "rules",
    "diff_lines": "rules",
    "BEYOND_GLYPH": "common",
    "BatchProgress": "tables",
    "TableWriter": "tables",
    "COLOUR": "common",
    "GLYPH": "common",
    "VERDICT_MARK": "common",
    "VERDICT_STYLE": "common",
    "ambiguity_hint": "check",
    "batch_dates": "tables",
    "batch_swallowed": "tables",
    "batch_merged": "tables",
    "batch_sheet": "tables",
    "batch_reading": "tables",
    "batch_summary": "tables",
    "batch_table": "tables",
    "change_phrase": "check",
    "check_document": "check",
    "citation_text": "check",
    "citation_lines": "check",
    "rule_files_list": "check",
    "rule_files_lines": "rules",
    "columns_text": "tables",
    "tab_separated": "tables",
    "console": "common",
    "echo": "common",
    "days_word": "common",
    "decision_dict": "check",
    "entry_dict": "tables",
    "escape_cell": "common",
    "fitted": "fit",
    "terminal_width": "fit",
    "terminal_text": "common",
    "explain_dict": "check",
    "explain_lines": "check",
    "horizon_dict": "check",
    "horizon_lines": "check",
    "horizon_listing": "rules",
    "horizon_note": "check",
    "horizon_status_dict": "windows",
    "horizon_status_line": "windows",
    "iso": "words",
    "newer_rules_hint": "words",
    "plain_lines": "check",
    "print_check_text": "check",
    "print_rules_table": "rules",
    "print_timeline": "windows",
    "rule_dict": "check",
    "rule_lines": "rules",
    "segment_dict": "windows",
    "segment_lines": "windows",
    "timeline_note": "windows",
    "to_json": "common",
    "upcoming_dict": "windows",
    "upcoming_line": "windows",
    "upcoming_lines": "windows",
    "window_text": "check",
}


def __getattr__(name: str):
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module = (
        import_module(f"..{home}", __name__)
        if home == "words"
        else import_module(f".{home}", __name__)
    )
    value = getattr(module, name)
    globals()[name] = value  # the next use is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(_HOME)
