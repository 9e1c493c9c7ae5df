"""linkcheck: may a product from this source be linked from this surface on this date?

    >>> import linkcheck
    >>> rules = linkcheck.load_rules()
    >>> rules.check("tmall", "livestream", "2022-11-11").verdict
    'allowed'

The names below are imported on first use, so `import linkcheck.cli` (what the command
runs) loads only what the command needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Citation",
    "DateError",
    "Decision",
    "LinkError",
    "LinkcheckError",
    "Rule",
    "RuleSet",
    "RulesError",
    "Timeline",
    "UnknownNameError",
    "load_rules",
    "parse_when",
]

_WHERE = {
    "RuleSet": "engine",
    "Timeline": "timeline",
    "DateError": "errors",
    "LinkcheckError": "errors",
    "LinkError": "errors",
    "RulesError": "errors",
    "UnknownNameError": "errors",
    "Change": "model",
    "Citation": "model",
    "Decision": "model",
    "Rule": "model",
    "parse_when": "when",
}

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from .engine import RuleSet
    from .errors import DateError, LinkcheckError, LinkError, RulesError, UnknownNameError
    from .model import Change, Citation, Decision, Rule
    from .timeline import Timeline
    from .when import parse_when


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'linkcheck' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


def load_rules(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True) -> RuleSet:
    """The bundled rules (unless `defaults=False`) and then each rules file in `paths` (one
    path alone is one file, not a path a character)."""
    from os import PathLike

    from .engine import RuleSet
    from .rules import load_catalog

    if isinstance(paths, str | PathLike):
        paths = [paths]
    elif paths is None or isinstance(paths, bytes) or not hasattr(paths, "__iter__"):
        raise TypeError(f"paths must be a path or paths (str, os.PathLike), not "
                        f"{type(paths).__name__}")  # fmt: skip
    if not isinstance(defaults, bool):  # 'no' is true: the bundled rules came along
        raise TypeError(f"defaults must be True or False, not {defaults!r}")
    return RuleSet(load_catalog(paths, defaults=defaults))
