"""Writes tests/golden/bundled.csv from the article's timeline as typed below, by hand.

This is the reviewed reading of sources/000_a698274f1961a54e.txt (SPEC §3, version 3), not
linkcheck: nothing here imports it. Each span says what the article says for a (platform,
source, surface) from one day to another, the sentence behind it, and how the verdict follows
from that sentence (`reading`: "stated", or the inference). Run it after changing a span, and
review the diff of the CSV: `python tests/golden/write_bundled.py`.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

# ---------------------------------------------------------------- the article's sentences
LAUNCH = "事实上,2018年7月“快手商店”首次上线时,快手就明确表示不会与任何第三方平台有排他关系。"
OPEN = "那时,快手商店基本上可以支持任何电商平台的跳转链接。"
PDD_DEAL = "2019年5月16日,快手与拼多多达成合作。 拼多多商家可以接入快手主播资源,进行产品直播推广。"
PDD_END = "这次合作当时被普遍看好,但没想到的是,由于两者的用户画像高度重叠,合作并没有持续多久。"
CUTOFF = "今年2月,快手商发布公告:2022年3月1日起,快手商不再发布淘宝联盟商品链接"
JD_CUT = "当然,京东联盟在快手商上的产品链接也未能“免疫”。"
TMALL = "据快手介绍,10月28日至12月31日,短视频、直播间可以在天猫上投放商品链接。"
PREVIEW = "同样,快手开通的淘宝、京东外链也都聚焦于直播间的“预告片”功能。"
JD_SELF = "10月28日至11月30日,可上线京东自营商品链接。"
JD_PREVIEW = "并将于10月28日逐步开放京东产品在快手直播间的预告功能"
MERCHANT = (
    "自2022年10月28日起,快手商将开始在快手直播间购物车、短视频购物车、商家详情页等"
    "恢复淘宝联盟的产品外链。"
)
TAOBAO = "“淘宝商品上架规则请关注后续公告”"
JD_POP = "近日,京东联盟宣布将全面恢复与快手产品外链合作"
AFTER = "至于时间,目前还不清楚是否会在截止日期后继续合作。"
KS_FUTURE = (
    "至于未来快手商是否会继续坚持开放、合作、共赢的策略,快手仍需从本次大促的结果中寻找答案。"
)
DY_YEAR = "2020年,抖音率先宣布切断外部链接。"
DY_DENY = "禁止直播将链接重定向至第三方平台。"
DY_SHOP = "仅保留抖音商店的外部链接产品。"
DY_NOW = "不过,从抖音今年的动作来看,其重点是货架商城,并开始探索类似于传统电商的促销方案。"

# ---------------------------------------------------------------- how each verdict follows
STATED = "stated"
R_MONTH = "stated: the month is given, not the day"
R_OPEN = "inferred: 那时 read as from 2018-08 to the 2022-03-01 cut-off, livestream and short video"
R_OPEN_PDD = "inferred: 那时 read as from 2018-08; Pinduoduo read as one of 任何电商平台"
R_PDD_LIVE = "inferred: the cooperation day; 直播推广 read as Pinduoduo links in livestreams"
R_PDD_VIDEO = "inferred: the cooperation day read as the last day the 2018 openness held"
R_PDD_END = "stated: it did not last; when, and what followed, the article does not say"
R_JD_CUT = "inferred: JD's links cut on the same date as Taobao Union's, 2022-03-01"
R_PREVIEW = "inferred: the preview is where the links centre; the dates are Kuaishou's Tmall window"
R_JD_SELF = "stated dates; the surfaces read from the sentence before (短视频、直播间)"
R_JD_PREVIEW = "inferred: open from 10-28 though gradual (逐步); the end is Kuaishou's JD window"
R_MERCHANT = "only Taobao's account names merchant pages; Kuaishou's statement does not: unknown"
R_TAOBAO = "stated: Kuaishou leaves Taobao shops to later announcements"
R_JD_POP = "JD Union says full cooperation, Kuaishou's window names only self-operated: unknown"
R_AFTER = "stated: whether it continues after the end date is unclear"
R_SHOP = "inferred: the platform's own store; no sentence restricts it"
R_KS_END = "the article, written before Double 11 2022, states nothing after 2022-12-31"
R_DY_YEAR = "stated: the year is given, not the day"
R_DY_DENY = "inferred: announced in 2020, so in force from 2021 at the latest, and still in 2022"
R_DY_SHOP = "inferred: either side of the cut, the Douyin shop's own links stay"
R_DY_END = "the article describes Douyin's present (as of 2022-10-28), nothing ahead"
NOTHING = "the article says nothing of it"

ALL = ("livestream", "short-video", "merchant-page", "live-preview")
CARTS = ("livestream", "short-video")
OTHER = ("merchant-page", "live-preview")
HORIZON = {"kuaishou": date(2022, 12, 31), "douyin": date(2022, 10, 28)}
BEYOND = {"kuaishou": (KS_FUTURE, R_KS_END), "douyin": (DY_NOW, R_DY_END)}


def d(text: str) -> date:
    return date.fromisoformat(text)


# A span: (first day, last day or None for open, verdict, rule, sentence, reading). Days not
# in any span before the horizon have no rule.
JULY = ("2018-07-01", "2018-07-31", "unknown", "kuaishou-2018-07-launch-month", LAUNCH, R_MONTH)


def kuaishou(source: str, surface: str) -> list[tuple]:
    cart = surface in CARTS
    if source == "kuaishou-shop":
        return [JULY, ("2018-08-01", None, "allowed", "kuaishou-shop", LAUNCH, R_SHOP)]
    if source == "douyin-shop":
        return []
    if source == "pinduoduo":
        spans = [JULY]
        if cart:
            spans += [
                ("2018-08-01", "2019-05-15", "allowed", "kuaishou-2018-open-pinduoduo", OPEN,
                 R_OPEN_PDD),
                ("2019-05-16", "2019-05-16", "allowed", "kuaishou-2018-open-pinduoduo", PDD_DEAL,
                 R_PDD_LIVE if surface == "livestream" else R_PDD_VIDEO),
            ]  # fmt: skip
        return [*spans, ("2019-05-17", None, "unknown", "kuaishou-2019-pinduoduo-ended",
                         PDD_END, R_PDD_END)]  # fmt: skip
    spans = [JULY]
    if cart:
        spans.append(("2018-08-01", "2022-02-28", "allowed", "kuaishou-2018-open", OPEN, R_OPEN))
    jd = source in ("jd-self", "jd-pop")
    spans.append(
        ("2022-03-01", "2022-10-27", "denied", "kuaishou-2022-03-cutoff",
         JD_CUT if jd else CUTOFF, R_JD_CUT if jd else STATED)
    )  # fmt: skip
    if source == "taobao":
        spans.append(("2022-10-28", None, "unknown", "kuaishou-2022-taobao-pending", TAOBAO,
                      R_TAOBAO))  # fmt: skip
    elif source == "jd-pop":
        spans.append(("2022-10-28", None, "unknown", "kuaishou-2022-jd-pop-disputed", JD_POP,
                      R_JD_POP))  # fmt: skip
    elif surface == "merchant-page":  # tmall, jd-self
        spans.append(("2022-10-28", None, "unknown", "kuaishou-2022-merchant-page", MERCHANT,
                      R_MERCHANT))  # fmt: skip
    elif source == "tmall":
        if cart:
            spans.append(("2022-10-28", "2022-12-31", "allowed", "kuaishou-2022-tmall-window",
                          TMALL, STATED))  # fmt: skip
        else:
            spans.append(("2022-10-28", "2022-12-31", "allowed", "kuaishou-2022-tmall-preview",
                          PREVIEW, R_PREVIEW))  # fmt: skip
    else:  # jd-self: carts and preview
        if cart:
            spans.append(("2022-10-28", "2022-11-30", "allowed", "kuaishou-2022-jd-self-window",
                          JD_SELF, R_JD_SELF))  # fmt: skip
        else:
            spans.append(("2022-10-28", "2022-11-30", "allowed",
                          "kuaishou-2022-jd-self-preview", JD_PREVIEW, R_JD_PREVIEW))  # fmt: skip
        spans.append(("2022-12-01", None, "unknown", "kuaishou-2022-after-jd-self-window",
                      AFTER, R_AFTER))  # fmt: skip
    return spans


def douyin(source: str, surface: str) -> list[tuple]:
    if surface != "livestream" or source == "kuaishou-shop":
        return []
    if source == "douyin-shop":
        return [("2020-01-01", None, "allowed", "douyin-shop", DY_SHOP, R_DY_SHOP)]
    return [
        ("2020-01-01", "2020-12-31", "unknown", "douyin-2020-cutoff-year", DY_YEAR, R_DY_YEAR),
        ("2021-01-01", None, "denied", "douyin-2020-closed-loop", DY_DENY, R_DY_DENY),
    ]


SOURCES = ("tmall", "taobao", "jd-self", "jd-pop", "pinduoduo", "kuaishou-shop", "douyin-shop")
# every bound of SPEC §3 v3 with the day before and after, and a few days people ask about
DAYS = {
    "kuaishou": [
        "2018-06-30", "2018-07-01", "2018-07-02", "2018-07-31", "2018-08-01", "2018-08-02",
        "2019-05-15", "2019-05-16", "2019-05-17", "2019-05-18", "2022-02-28", "2022-03-01",
        "2022-03-02", "2022-10-27", "2022-10-28", "2022-10-29", "2022-11-11", "2022-11-29",
        "2022-11-30", "2022-12-01", "2022-12-02", "2022-12-30", "2022-12-31", "2023-01-01",
        "2023-01-02", "2026-11-29",
    ],
    "douyin": [
        "2019-12-31", "2020-01-01", "2020-01-02", "2020-12-31", "2021-01-01", "2021-01-02",
        "2022-10-27", "2022-10-28", "2022-10-29", "2022-10-30", "2022-11-11", "2022-12-31",
        "2023-01-01", "2026-11-29",
    ],
}  # fmt: skip


def answer(platform: str, spans: list[tuple], day: date) -> tuple:
    """(verdict, reason, rule, sentence, reading) on `day`."""
    if day > HORIZON[platform]:
        return ("unknown", "beyond_horizon", "", *BEYOND[platform])
    for first, last, verdict, rule, sentence, reading in spans:
        if d(first) <= day and (last is None or day <= d(last)):
            return verdict, "rule", rule, sentence, reading
    return "unknown", "no_rule", "", "", NOTHING


def next_change(platform: str, spans: list[tuple], day: date) -> str:
    """The first later day whose verdict differs, as `<instant> <verdict>`, or ""."""
    verdict = answer(platform, spans, day)[0]
    edges = sorted({d(s[0]) for s in spans} | {d(s[1]) + timedelta(days=1) for s in spans if s[1]}
                   | {HORIZON[platform] + timedelta(days=1)})  # fmt: skip
    for edge in edges:
        if edge > day and answer(platform, spans, edge)[0] != verdict:
            return f"{edge.isoformat()}T00:00:00+08:00 {answer(platform, spans, edge)[0]}"
    return ""


HEADER = """\
# The bundled rules (version 3) against the article, sources/000_a698274f1961a54e.txt, as read
# by hand in tests/golden/write_bundled.py (which imports nothing of linkcheck); reviewed.
# Dates are days in Asia/Shanghai (00:00). next_change: "<instant> <verdict>" or empty (never).
# basis: the article's sentence behind the verdict (empty only for no_rule: the article says
# nothing of that case); reading: how the verdict follows from it ("stated", or the inference).
# The rule column is a second check only: the verdicts come from the sentences.
# Kuaishou past 2022-12-31 and Douyin past 2022-10-28: the article states nothing (beyond_horizon).
"""


def main() -> None:
    out = io.StringIO()
    out.write(HEADER)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["platform", "source", "surface", "date", "verdict", "reason", "rule",
                     "next_change", "basis", "reading"])  # fmt: skip
    for platform, spans_of in (("kuaishou", kuaishou), ("douyin", douyin)):
        for source in SOURCES:
            for surface in ALL:
                spans = spans_of(source, surface)
                for text in DAYS[platform]:
                    day = d(text)
                    verdict, reason, rule, sentence, reading = answer(platform, spans, day)
                    change = next_change(platform, spans, day)
                    writer.writerow([platform, source, surface, text, verdict, reason, rule,
                                     change, sentence, reading])  # fmt: skip
    path = Path(__file__).with_name("bundled.csv")
    path.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
