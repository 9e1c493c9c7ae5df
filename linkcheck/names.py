"""How user-typed names compare: case, width, spaces and `_`/`-` do not matter."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize(name: str) -> str:
    """`ＴＭＡＬＬ`, ` Tmall `, `jd_self` and `JD self` compare as `tmall`, `jd-self`."""
    text = unicodedata.normalize("NFKC", name).strip().casefold()
    return _SEPARATORS.sub("-", text)


def closest(name: str, choices: dict[str, str], n: int = 3) -> list[str]:
    """Ids whose id or alias is close to `name`; `choices` maps normalized alias → id."""
    import difflib  # only on the error path

    key = normalize(name)
    found: list[str] = []
    for alias in difflib.get_close_matches(key, list(choices), n=n * 3, cutoff=0.6):
        if choices[alias] not in found:
            found.append(choices[alias])
    if not found:  # a prefix is a good hint too: `jd` → jd-self, jd-pop
        found = sorted({i for a, i in choices.items() if a.startswith(key) or key.startswith(a)})
    return found[:n]


def did_you_mean(ids: list[str]) -> str:
    if not ids:
        return ""
    return " (did you mean " + " or ".join(f"'{i}'" for i in ids) + "?)"
