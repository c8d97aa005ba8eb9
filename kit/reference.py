"""Japan beside the town: any municipality, its prefecture or the nation, from the
shipped reference table (``data/reference/municipalities.csv``: the 2020 census and
the IPSS 2018 projections to 2045 for all 1,741 municipalities).

Everything derived from the table is computed once per kernel and cached, so a
comparison over every municipality is a lookup, not a recomputation.

Conventions, stated on screen:

- shares of 2020 use the population of known age (総数 − 年齢不詳), as the census
  高齢化率 does; projections have no unknown age;
- growth is an index with 2020 = 100;
- Fukushima's 59 municipalities have no municipal projection in IPSS 2018, so
  their projected figures are blank, and the sums for the nation and for
  Fukushima prefecture leave them out (the note says so);
- "similar size" means a 2020 population between half and twice the town's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kit.paths import REFERENCE

__all__ = [
    "BASE_YEAR",
    "YEARS",
    "GROUPS",
    "NATION",
    "SIZE_RATIO",
    "Metric",
    "METRICS",
    "municipalities",
    "prefectures",
    "municipalities_of",
    "profile",
    "profile_label",
    "indicators",
    "metric_values",
    "peer_rank",
    "PeerRank",
]

BASE_YEAR = 2020
YEARS: tuple[int, ...] = (2020, 2025, 2030, 2035, 2040, 2045)
GROUPS: tuple[str, ...] = ("総数", "65歳以上", "75歳以上", "85歳以上")
NATION = "全国"
SIZE_RATIO = 2.0     # similar size: between 1/SIZE_RATIO and SIZE_RATIO times the town
_UNKNOWN = "年齢不詳_2020"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    group: str
    year: int
    kind: str          # "growth" (2020 = 100) or "share" (%)
    unit: str


METRICS: tuple[Metric, ...] = (
    Metric("growth75_2040", "75歳以上人口の伸び（2020年=100, 2040年）", "75歳以上", 2040, "growth", ""),
    Metric("growth85_2040", "85歳以上人口の伸び（2020年=100, 2040年）", "85歳以上", 2040, "growth", ""),
    Metric("growth_total_2040", "総人口の伸び（2020年=100, 2040年）", "総数", 2040, "growth", ""),
    Metric("share75_2040", "75歳以上の割合（2040年, %）", "75歳以上", 2040, "share", "%"),
    Metric("share85_2040", "85歳以上の割合（2040年, %）", "85歳以上", 2040, "share", "%"),
    Metric("share65_2020", "高齢化率（65歳以上の割合, 2020年, %）", "65歳以上", 2020, "share", "%"),
)
_METRIC = {m.key: m for m in METRICS}


@lru_cache(maxsize=1)
def municipalities() -> pd.DataFrame:
    """The reference table, codes as text, counts as nullable integers."""
    table = pd.read_csv(REFERENCE / "municipalities.csv", encoding="utf-8-sig",
                        dtype={"市区町村コード": str, "都道府県コード": str})
    counts = [c for c in table.columns if c[-4:].isdigit()]
    table[counts] = table[counts].astype("Int64")
    return table


@lru_cache(maxsize=1)
def prefectures() -> pd.DataFrame:
    """Prefecture codes and names in JIS order."""
    return (municipalities()[["都道府県コード", "都道府県"]].drop_duplicates()
            .sort_values("都道府県コード").reset_index(drop=True))


def municipalities_of(prefecture_code: str) -> pd.DataFrame:
    table = municipalities()
    return table.loc[table["都道府県コード"] == prefecture_code, ["市区町村コード", "市区町村名"]]


def _profile_of(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Long profile (年, 区分, 人口) summed over ``rows``, and a note on what was left out."""
    projected = [f"総数_{y}" for y in YEARS[1:]]
    complete = rows[rows[projected].notna().all(axis=1)]
    note = ""
    if complete.empty:
        note = "市町村別の将来推計がない（福島県）ため、2025年以降の値はありません"
    elif len(complete) < len(rows):
        note = f"推計のない{len(rows) - len(complete)}市町村（福島県）を除いて集計"
        rows = complete
    sums = rows.drop(columns=["市区町村コード", "都道府県コード", "都道府県", "市区町村名"]).sum(min_count=1)
    records = []
    for year in YEARS:
        known = sums[f"総数_{year}"] - (sums[_UNKNOWN] if year == BASE_YEAR else 0)
        for group in GROUPS:
            value = sums[f"{group}_{year}"]
            records.append({"年": year, "区分": group,
                            "人口": value, "割合の分母": known})
    table = pd.DataFrame(records)
    return _with_indices(table), note


def _with_indices(table: pd.DataFrame) -> pd.DataFrame:
    """Add 割合 (%) and 伸び (2020 = 100) to a long (年, 区分, 人口, 割合の分母) table."""
    table = table.astype({"人口": "Float64", "割合の分母": "Float64"})
    base = table[table["年"] == BASE_YEAR].set_index("区分")["人口"]
    table["割合"] = (table["人口"] / table["割合の分母"] * 100).where(table["区分"] != "総数")
    table["伸び"] = table["人口"] / table["区分"].map(base) * 100
    return table


@lru_cache(maxsize=None)
def _cached_profile(key: str) -> tuple[pd.DataFrame, str]:
    table = municipalities()
    if key == NATION:
        return _profile_of(table)
    kind, code = key.split(":")
    column = "都道府県コード" if kind == "P" else "市区町村コード"
    return _profile_of(table[table[column] == code])


def profile(key: str) -> tuple[pd.DataFrame, str]:
    """(long profile, note) of ``全国``, ``P:<都道府県コード>`` or ``M:<市区町村コード>``.
    Columns: 年, 区分, 人口, 割合の分母, 割合 (%), 伸び (2020 = 100)."""
    table, note = _cached_profile(key)
    return table.copy(), note


def profile_label(key: str) -> str:
    if key == NATION:
        return NATION
    kind, code = key.split(":")
    if kind == "P":
        return prefectures().set_index("都道府県コード").loc[code, "都道府県"]
    row = municipalities().set_index("市区町村コード").loc[code]
    return f"{row['都道府県']} {row['市区町村名']}"


@lru_cache(maxsize=1)
def indicators() -> pd.DataFrame:
    """Every metric of ``METRICS`` for every municipality (NaN where not projected),
    with code, names and the 2020 population used to find similar-sized peers."""
    table = municipalities()
    out = table[["市区町村コード", "都道府県", "市区町村名", "総数_2020"]].copy()
    known_2020 = (table["総数_2020"] - table[_UNKNOWN]).astype("float64")
    for metric in METRICS:
        value = table[f"{metric.group}_{metric.year}"].astype("float64")
        if metric.kind == "growth":
            out[metric.key] = value / table[f"{metric.group}_{BASE_YEAR}"].astype("float64") * 100
        else:
            denominator = known_2020 if metric.year == BASE_YEAR else table[f"総数_{metric.year}"].astype("float64")
            out[metric.key] = value / denominator * 100
    return out


def metric_values(profile_table: pd.DataFrame, metric_key: str) -> float:
    """A metric read from a long profile (the town's, or any of :func:`profile`)."""
    metric = _METRIC[metric_key]
    row = profile_table[(profile_table["年"] == metric.year) & (profile_table["区分"] == metric.group)]
    if row.empty:
        return float("nan")
    value = row["伸び" if metric.kind == "growth" else "割合"].iloc[0]
    return float("nan") if pd.isna(value) else float(value)


@dataclass(frozen=True)
class PeerRank:
    metric: Metric
    value: float
    rank: int | None          # 1 = highest value among peers (and the town)
    of: int                   # peers with a value, plus the town
    low: int                  # population bounds of "similar size"
    high: int
    peers: pd.DataFrame       # the peers' rows of :func:`indicators`

    @property
    def sentence(self) -> str:
        if self.rank is None:
            return f"{self.metric.label}: 比べられる値がありません"
        return (f"{self.metric.label}は {self.value:.1f}{self.metric.unit}。"
                f"人口が同程度（{self.low:,}〜{self.high:,}人）の{self.of - 1:,}市区町村と比べて、"
                f"高い方から{self.rank:,}番目（{self.of:,}団体中）")


def peer_rank(town_total: float, value: float, metric_key: str, exclude: str | None = None) -> PeerRank:
    """Where ``value`` stands among municipalities of similar 2020 population.
    ``exclude``: a code to leave out (the town itself, when it is in the table)."""
    metric = _METRIC[metric_key]
    table = indicators()
    low, high = town_total / SIZE_RATIO, town_total * SIZE_RATIO
    peers = table[table["総数_2020"].between(low, high) & table[metric_key].notna()]
    if exclude is not None:
        peers = peers[peers["市区町村コード"] != exclude]
    if np.isnan(value) or np.isnan(town_total):
        return PeerRank(metric, value, None, len(peers) + 1, 0, 0, peers)
    rank = int((peers[metric_key] > value).sum()) + 1
    return PeerRank(metric, value, rank, len(peers) + 1, int(round(low)), int(round(high)), peers)
