"""The vectorised pandas peer: read_csv, an as-of join on the exported interval table, to_csv.

python bench/peer_pandas.py IN.csv OUT.csv
"""

import sys

import pandas as pd
from peer_rules import BEYOND, NO_RULE, OFFSET, PLATFORM, segments_path


def main(src: str, dst: str) -> None:
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    spans = pd.read_csv(segments_path(), dtype=str, keep_default_na=False)
    spans = spans[spans["platform"] == PLATFORM].copy()
    # instants as numbers: the open beginning of time first
    spans["at"] = pd.to_datetime(spans["start"].str.rstrip("Z"), errors="coerce")
    spans["at"] = spans["at"].astype("datetime64[ns]").fillna(pd.Timestamp.min)
    change = pd.to_datetime(spans["next_change_at"].str.rstrip("Z"), errors="coerce") + OFFSET
    spans["next_change"] = (
        change.dt.strftime("%Y-%m-%dT%H:%M:%S+08:00") + " " + spans["next_change_verdict"]
    ).fillna("")
    spans["note"] = spans["reason"].map({"no_rule": NO_RULE, "beyond_horizon": BEYOND}).fillna("")
    spans = spans.sort_values("at")[["source", "surface", "at", "verdict", "rule",
                                     "next_change", "note"]]  # fmt: skip
    df["_row"] = range(len(df))
    df["at"] = (pd.to_datetime(df["date"]) - OFFSET).astype("datetime64[ns]")
    joined = pd.merge_asof(
        df.sort_values("at"), spans, on="at", by=["source", "surface"], direction="backward"
    ).sort_values("_row")
    joined["surface.1"] = joined["surface"]
    columns = ["sku", "source", "surface", "date", "title", "surface.1", "verdict", "rule",
               "next_change", "note"]  # fmt: skip
    header = [*columns[:5], "surface", *columns[6:]]
    joined[columns].to_csv(dst, index=False, header=header)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
