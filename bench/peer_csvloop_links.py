"""The pure-Python floor for a link-heavy checklist: csv.reader → urllib.parse.urlsplit and
a suffix match on the host (cached per host) → the dict cache and bisect of peer_csvloop →
csv.writer.

python bench/peer_csvloop_links.py IN.csv OUT.csv

Every row has its own link, so nothing keyed by the link repeats; the host does. The link
domains are the bundled rules file's own (read with tomllib), the answers the exported
interval table's. A host no source claims is an error row, in linkcheck's words.
"""

import csv
import sys
from urllib.parse import urlsplit

from peer_rules import Table, domains, load


def main(src: str, dst: str) -> None:
    table = Table(load())
    # (domain, source), longest domain first: the first match is the longest
    claims = sorted(((d, s) for s, ds in domains().items() for d in ds), key=lambda c: -len(c[0]))
    sources: dict[str, str | None] = {}
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
            url = row[1]
            host = (urlsplit(url if "//" in url else "//" + url).hostname or "").rstrip(".")
            try:
                source = sources[host]
            except KeyError:
                source = sources[host] = next(
                    (s for d, s in claims if host == d or host.endswith("." + d)), None
                )
            if source is None:
                note = f"unrecognized product link host '{host}'"
                writer.writerow([*row, row[2], "error", "", "", note])
                continue
            key = (source, row[2], row[3])
            found = cache.get(key)
            if found is None:
                found = cache[key] = [row[2], *table.decide(*key)]
            writer.writerow(row + found)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
