"""linkcheck: may a product from this source be linked from this surface on this date?

>>> import linkcheck
>>> rules = linkcheck.load_rules()
>>> rules.check("tmall", "livestream", "2022-11-11").verdict
'allowed'
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .engine import RuleSet, Timeline
from .errors import DateError, LinkcheckError, LinkError, RulesError, UnknownNameError
from .model import Change, Citation, Decision, Rule
from .rules import load_catalog
from .when import parse_when

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


def load_rules(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True) -> RuleSet:
    """The bundled rules (unless `defaults=False`) and then each rules file in `paths`."""
    return RuleSet(load_catalog(paths, defaults=defaults))
