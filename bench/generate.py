"""Write a checklist CSV for the benchmark: N rows, fixed seed.

Columns: sku, source, surface, date, title (Chinese text with commas and quotes, as real
product titles have). Sources and surfaces are ids; dates are whole days from 2018 to 2023,
so every bundled Kuaishou window and bound is exercised.

    python bench/generate.py 1000000 bench/out/checklist-1000000.csv
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta

SOURCES = ["tmall", "taobao", "jd-self", "jd-pop", "pinduoduo", "kuaishou-shop"]
SURFACES = ["livestream", "short-video", "merchant-page", "live-preview"]
WORDS = ["连衣裙", "保温杯", "蓝牙耳机", "洗发水", "坚果礼盒", "运动鞋", "面膜", "充电宝"]
FIRST = date(2018, 6, 1)
DAYS = (date(2023, 3, 31) - FIRST).days


def generate(rows: int, path: str, seed: int = 20221111) -> None:
    rng = random.Random(seed)
    days = [(FIRST + timedelta(days=n)).isoformat() for n in range(DAYS + 1)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["sku", "source", "surface", "date", "title"])
        for i in range(rows):
            word = rng.choice(WORDS)
            title = f'{word} {rng.randint(1, 99)}件装, "爆款" 直播专享'
            writer.writerow(
                [f"SKU{i:08d}", rng.choice(SOURCES), rng.choice(SURFACES), rng.choice(days), title]
            )


if __name__ == "__main__":
    generate(int(sys.argv[1]), sys.argv[2])
