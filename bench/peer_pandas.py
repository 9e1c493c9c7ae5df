"""The vectorised pandas peer: read_csv, np.select over the windows, to_csv.

python bench/peer_pandas.py IN.csv OUT.csv
"""

import sys

import numpy as np
import pandas as pd
from peer_rules import CUTOFF, NO_RULE, OPEN_FROM, OPEN_TO, REOPENS, UNION, WINDOW_FROM, at


def main(src: str, dst: str) -> None:
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    s, f, d = df["source"], df["surface"], df["date"]
    shop, union = s == "kuaishou-shop", s.isin(UNION)
    # (condition, verdict, rule, next_change, note), first match wins
    cases = [
        (shop & (d >= OPEN_FROM), "allowed", "kuaishou-shop", "", ""),
        (d < OPEN_FROM, "unknown", "", at(OPEN_FROM, "allowed"), NO_RULE),
        ((d <= OPEN_TO) & union, "allowed", "kuaishou-2018-open", at(CUTOFF, "denied"), ""),
        (d <= OPEN_TO, "allowed", "kuaishou-2018-open", at(CUTOFF, "unknown"), ""),
        (~union, "unknown", "", "", NO_RULE),
    ]
    for (source, surface), (verdict, rule, last, closes) in REOPENS.items():
        here = (s == source) & (f == surface)
        cases.append(
            (
                here & (d < WINDOW_FROM),
                "denied",
                "kuaishou-2022-03-cutoff",
                at(WINDOW_FROM, verdict),
                "",
            )
        )
        if last is None:
            cases.append((here, verdict, rule, "", ""))
        else:
            cases.append((here & (d <= last), verdict, rule, at(closes, "denied"), ""))
    conditions = [c[0] for c in cases]
    df["surface_"] = f
    for i, (name, default) in enumerate(
        [
            ("verdict", "denied"),
            ("rule", "kuaishou-2022-03-cutoff"),
            ("next_change", ""),
            ("note", ""),
        ],
        start=1,
    ):
        df[name] = np.select(conditions, [c[i] for c in cases], default=default)
    df = df.rename(columns={"surface_": "surface.1"})
    df = df[
        [
            "sku",
            "source",
            "surface",
            "date",
            "title",
            "surface.1",
            "verdict",
            "rule",
            "next_change",
            "note",
        ]
    ]
    header = [
        "sku",
        "source",
        "surface",
        "date",
        "title",
        "surface",
        "verdict",
        "rule",
        "next_change",
        "note",
    ]
    df.to_csv(dst, index=False, header=header)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
