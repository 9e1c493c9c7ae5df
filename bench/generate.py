"""Write a checklist CSV for the benchmark: N rows, fixed seed.

Columns: sku, source, surface, date, title (Chinese text with commas and quotes, as real
product titles have). Sources and surfaces are ids; dates are whole days from 2018 to 2023,
so every bundled Kuaishou window and bound is exercised.

The link-heavy checklist (generate_links) has a url column instead of source, every row its
own product link (an item id in the query), on the hosts real links use — several hosts per
source, upper-case hosts, ports, trailing dots, no scheme — and one row in fifty a shop
the rules do not know (an error row: "unrecognized product link host").

    python bench/generate.py 1000000 bench/out/checklist-1000000.csv
    python bench/generate.py 200000 bench/out/links-200000.csv links
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


# (host as written, path before the item id): the sources with domains of their own
LINKS = [
    ("https://detail.tmall.com", "/item.htm?id="),
    ("https://detail.m.tmall.com", "/item.htm?spm=a1z10&id="),
    ("https://chaoshi.detail.tmall.com", "/item.htm?id="),
    ("http://detail.tmall.hk", "/hk/item.htm?id="),
    ("https://DETAIL.TMALL.COM", "/item.htm?id="),
    ("https://mobile.yangkeduo.com", "/goods.html?goods_id="),
    ("https://mobile.yangkeduo.com:443", "/goods2.html?goods_id="),
    ("https://www.pinduoduo.com", "/goods.html?goods_id="),
    ("https://app.kwaixiaodian.com", "/merchant/shop/detail?id="),
    ("https://haohuo.jinritemai.com", "/views/product/item2?id="),
    ("https://haohuo.snssdk.com.", "/views/product/item2?id="),
    ("detail.tmall.com", "/item.htm?id="),
]
UNKNOWN = ("https://shop.example.cn", "/item?id=")


def generate_links(rows: int, path: str, seed: int = 20221111) -> None:
    rng = random.Random(seed)
    days = [(FIRST + timedelta(days=n)).isoformat() for n in range(DAYS + 1)]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["sku", "url", "surface", "date", "title"])
        for i in range(rows):
            host, item = UNKNOWN if rng.random() < 0.02 else rng.choice(LINKS)
            link = f"{host}{item}{rng.randrange(10**11, 10**12)}"
            title = f'{rng.choice(WORDS)} {rng.randint(1, 99)}件装, "爆款" 直播专享'
            writer.writerow([f"SKU{i:08d}", link, rng.choice(SURFACES), rng.choice(days), title])


if __name__ == "__main__":
    if sys.argv[3:] == ["links"]:
        generate_links(int(sys.argv[1]), sys.argv[2])
    else:
        generate(int(sys.argv[1]), sys.argv[2])
