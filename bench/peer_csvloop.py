"""The pure-Python floor: csv.reader → dict cache → csv.writer, nothing else.

python bench/peer_csvloop.py IN.csv OUT.csv
"""

import csv
import sys

from peer_rules import Table, load


def main(src: str, dst: str) -> None:
    table = Table(load())
    cache: dict[tuple[str, str, str], list[str]] = {}
    with (
        open(src, newline="", encoding="utf-8") as fin,
        open(dst, "w", newline="", encoding="utf-8") as fout,
    ):
        reader = csv.reader(fin)
        writer = csv.writer(fout)
        header = next(reader)
        writer.writerow([*header, "surface", "verdict", "rule", "next_change", "note"])
        for row in reader:
            key = (row[1], row[2], row[3])
            found = cache.get(key)
            if found is None:
                found = cache[key] = [row[2], *table.decide(*key)]
            writer.writerow(row + found)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
