"""Japan beside the town: any municipality, its prefecture or the nation, from the
shipped reference table (``data/reference/municipalities.csv``: the 2020 census and
the IPSS 2018 projections to 2045 for all 1,741 municipalities).

Any municipality as the town itself (:func:`town_tables`): its areas and population
by age band, as the readers of ``kit.io`` give an uploaded file, from the 2020 census
by sex and 5-year band (``census2020_age_bands.csv``, wards of 政令指定都市 included)
and the IPSS 2018 projections by band (``ipss2018_age_bands.csv``). These files are
read on the first call, never at import.

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

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kit.paths import REFERENCE
from kit.vocab import WHOLE_TOWN

__all__ = [
    "allocate_unknown",
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
    "find_municipalities",
    "wards_of",
    "town_tables",
    "TownTables",
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


# ------------------------------------------------------------ a municipality as the town

_CENSUS_BANDS_FILE = "census2020_age_bands.csv"
_PROJECTION_BANDS_FILE = "ipss2018_age_bands.csv"
_PROJECTION_FIRST_YEAR = 2025  # IPSS's 2020 is an estimate; the census counted 2020
_SUFFIXES = ("市", "町", "村", "区")
# Sexes of the census rows, in the order the sample town's population file lists them.
_SEXES = ("男", "女", "計")
# The dtype pandas gives text read from a file (what kit.io's readers return).
_TEXT = pd.Series(["text"]).dtype
_SOURCES_NOTE = ("出典: 総務省統計局「令和2年国勢調査」(e-Stat)、国立社会保障・人口問題研究所"
                "「日本の地域別将来推計人口（平成30(2018)年推計）」(aiseed.dev によるJSON化データ) を加工して作成")


def _band_label(header: str) -> str | None:
    """A band column of the shipped files as the kit spells it: 0～4歳 → 0-4, 90歳以上 → 90+."""
    if match := re.fullmatch(r"(\d+)～(\d+)歳", header):
        return f"{match[1]}-{match[2]}"
    if match := re.fullmatch(r"(\d+)歳以上", header):
        return f"{match[1]}+"
    return None


def _read_bands(name: str, index: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """A shipped band file indexed by ``index``, and its band columns (header → kit band)."""
    table = pd.read_csv(REFERENCE / name, encoding="utf-8-sig",
                        dtype={"市区町村コード": str, "政令市コード": str})
    bands = {header: label for header in table.columns if (label := _band_label(header))}
    return table.set_index(index).sort_index(), bands


@lru_cache(maxsize=1)
def _census_bands() -> tuple[pd.DataFrame, dict[str, str]]:
    """census2020_age_bands.csv indexed by (市区町村コード, 性別)."""
    return _read_bands(_CENSUS_BANDS_FILE, ["市区町村コード", "性別"])


@lru_cache(maxsize=1)
def _projection_bands() -> tuple[pd.DataFrame, dict[str, str]]:
    """ipss2018_age_bands.csv indexed by (市区町村コード, 年)."""
    return _read_bands(_PROJECTION_BANDS_FILE, ["市区町村コード", "年"])


def _search_key(text: str) -> str:
    """Text as searched: NFKC, no spaces, katakana as hiragana, ヶ as け (鎌ケ谷/鎌ヶ谷)."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    return text.replace("ゖ", "け")



@lru_cache(maxsize=1)
def _search_keys() -> tuple[tuple[str, str, str, str], ...]:
    """(code, prefecture code, name key, prefecture + name key) per municipality."""
    table = municipalities()
    return tuple(
        (code, pref, _search_key(name), _search_key(prefecture + name))
        for code, pref, prefecture, name in zip(table["市区町村コード"], table["都道府県コード"],
                                                table["都道府県"], table["市区町村名"])
    )


def _match_rank(query: str, name: str, full: str) -> int | None:
    """0 = the name itself (suffix optional), 1 = the name's beginning, 2 = inside it."""
    if query in (name, full, name[:-1], full[:-1]):
        return 0
    if name.startswith(query) or full.startswith(query):
        return 1
    if query in full:
        return 2
    return None


def find_municipalities(text: str, prefecture_code: str | None = None) -> pd.DataFrame:
    """Municipalities whose name holds ``text`` (市区町村コード, 都道府県, 市区町村名).

    The name may be typed with or without its prefecture (北海道札幌) and its
    市/町/村/区 (札幌, 札幌市), in full- or half-width, with spaces, in hiragana or
    katakana where the name itself is in kana (にせこ → ニセコ町). Readings of kanji
    are not in the data, so さっぽろ finds nothing. The name itself first, then names
    beginning with ``text``, then the rest, each in code order. Empty text: every
    municipality (of the prefecture).
    """
    query = _search_key(text)
    table = municipalities()
    keys = [k for k in _search_keys() if prefecture_code is None or k[1] == prefecture_code]
    ranked = [(0, code) for code, *_ in keys] if not query else []
    for attempt in (query, query[:-1] if query.endswith(_SUFFIXES) else ""):
        if attempt and not ranked:
            ranked = [(rank, code) for code, _, name, full in keys
                      if (rank := _match_rank(attempt, name, full)) is not None]
    codes = [code for _, code in sorted(ranked)]
    found = table.set_index("市区町村コード").loc[codes, ["都道府県", "市区町村名"]]
    return found.reset_index()


def wards_of(code: str) -> pd.DataFrame:
    """The wards of a 政令指定都市 (区コード, 区名 without the city: 中央区), in code
    order; empty for any other municipality."""
    census, _ = _census_bands()
    both = census.xs("計", level="性別")
    rows = both[both["政令市コード"] == code]
    names = [name.removeprefix(city) for name, city in zip(rows["市区町村名"], rows["政令市"])]
    return pd.DataFrame({"区コード": rows.index.to_numpy(dtype=object), "区名": names}).astype(_TEXT)


@dataclass(frozen=True)
class TownTables:
    """A real municipality as the town: its areas and population as ``kit.io.load``
    gives the areas and population files, and what the screen must say about them."""
    code: str
    name: str
    prefecture: str
    designated: bool              # a 政令指定都市 (its wards can be the areas)
    areas: pd.DataFrame           # 地区コード, 地区名, 地域特性
    population: pd.DataFrame      # 地区コード, 年, 性別, 年齢階級, 人口, 区分, 地区名
    unknown_age: pd.Series        # 2020 年齢不詳 (both sexes) per 地区コード
    notes: tuple[str, ...]        # short Japanese sentences for the screen


def _canonical(frame: pd.DataFrame, counts: tuple[str, ...]) -> pd.DataFrame:
    """Text columns as text, counts as Int64, indexed by the row the frame would
    have in a CSV file (行), as the readers index a loaded file."""
    frame = frame.astype({c: ("Int64" if c in counts else _TEXT) for c in frame.columns})
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="行")
    return frame


def allocate_unknown(known: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Each row's bands (``known``, integers) with the row's people of unknown age
    (``unknown``) shared out in proportion to them, rounded so that every row still
    adds up to its total (largest remainders first). A row with no known age keeps
    its unknown count out of the bands."""
    known = np.asarray(known, dtype="int64")
    totals = known.sum(axis=1)
    share = np.divide(known * unknown[:, None], totals[:, None], out=np.zeros(known.shape), where=totals[:, None] > 0)
    floor = np.floor(share).astype("int64")
    left = np.where(totals > 0, unknown - floor.sum(axis=1), 0)
    order = np.argsort(-(share - floor), axis=1, kind="stable")
    ranks = np.argsort(order, axis=1, kind="stable")
    return known + floor + (ranks < left[:, None])


def _census_rows(codes: list[str], names: list[str]) -> pd.DataFrame:
    """2020 rows of ``codes``: per area, per band, 男/女/計 (実績), the people of
    unknown age shared out over the bands of their sex (計 = 男 + 女). The
    projections count everyone, so growth from 2020 is measured on the same footing."""
    census, bands = _census_bands()
    index = pd.MultiIndex.from_product([codes, _SEXES[:2]])
    by_sex = allocate_unknown(census.loc[index, list(bands)].to_numpy(dtype="int64"),
                              census.loc[index, "年齢不詳"].to_numpy(dtype="int64"))
    by_sex = by_sex.reshape(len(codes), 2, len(bands))
    counts = np.concatenate([by_sex, by_sex.sum(axis=1, keepdims=True)], axis=1).transpose(0, 2, 1).ravel()
    per_area = len(bands) * len(_SEXES)
    return pd.DataFrame({"地区コード": np.repeat(codes, per_area), "年": BASE_YEAR,
                         "性別": np.tile(_SEXES, len(codes) * len(bands)),
                         "年齢階級": np.tile(np.repeat(list(bands.values()), len(_SEXES)), len(codes)),
                         "人口": counts, "区分": "実績", "地区名": np.repeat(names, per_area)})


def _projection_rows(code: str, area: str, name: str) -> pd.DataFrame:
    """Projected rows of ``code`` from 2025 (計, 推計) under 地区コード ``area``."""
    projection, bands = _projection_bands()
    rows = projection.loc[code] if code in projection.index else projection.droplevel(0).iloc[:0]
    rows = rows[rows.index >= _PROJECTION_FIRST_YEAR]
    return pd.DataFrame({"地区コード": area, "年": np.repeat(rows.index.to_numpy(), len(bands)), "性別": "計",
                         "年齢階級": np.tile(list(bands.values()), len(rows)),
                         "人口": rows[list(bands)].to_numpy(dtype="int64").ravel(), "区分": "推計", "地区名": name})


def _notes(name: str, prefecture: str, unknown: int, total: int, projected: bool,
           wards: int, use_wards: bool) -> tuple[str, ...]:
    notes = [
        f"2020年の国勢調査で年齢「不詳」の人は{unknown:,}人（総数{total:,}人の{unknown / total:.1%}）です。"
        "年齢の分かる人の男女・年齢階級の割合に応じて各階級に振り分けています"
        "（総数は国勢調査のまま、割合は年齢の分かる人だけで計算した値と同じ）。"
        "将来推計も年齢不詳の人を含めているので、2020年からの伸びを同じ土台で比べられます。"
        if unknown else "2020年の国勢調査で年齢「不詳」の人はいません。"
    ]
    if wards and use_wards:
        notes.append(f"地区は{name}の{wards}区です。区ごとの人口は2020年の国勢調査だけで、"
                     f"2025年以降の推計は市全体（地区コード「{WHOLE_TOWN}」）にしかありません。")
    elif wards:
        notes.append(f"{name}は政令指定都市です。2020年の人口は区ごとにも分かります（将来推計は市全体だけ）。")
    if projected:
        notes.append("将来推計（2025〜2045年、男女計、最後の階級は90歳以上）は社人研の平成30(2018)年推計です。"
                     "介護保険事業計画で使う令和5(2023)年推計とは値が違います。")
    else:
        notes.append(f"{prefecture}の市町村は社人研の平成30(2018)年推計で市町村別に推計されていないため、"
                     "将来推計がありません。人口は2020年の国勢調査だけです。")
    notes.append(_SOURCES_NOTE)
    return tuple(notes)


@lru_cache(maxsize=64)
def _town_tables(code: str, use_wards: bool) -> TownTables:
    table = municipalities().set_index("市区町村コード")
    if code not in table.index:
        raise KeyError(f"no municipality with code {code!r}")
    name, prefecture = table.loc[code, "市区町村名"], table.loc[code, "都道府県"]
    wards = wards_of(code)
    by_ward = use_wards and not wards.empty
    if by_ward:
        areas = pd.DataFrame({"地区コード": wards["区コード"], "地区名": wards["区名"]})
    else:
        areas = pd.DataFrame({"地区コード": [code], "地区名": [name]})
    areas["地域特性"] = np.nan
    codes = list(areas["地区コード"])
    projected = _projection_rows(code, WHOLE_TOWN if by_ward else code, name)
    population = pd.concat([_census_rows(codes, list(areas["地区名"])), projected], ignore_index=True)
    census, _ = _census_bands()
    both = census.loc[pd.MultiIndex.from_product([codes, ["計"]])]
    unknown_age = pd.Series(both["年齢不詳"].to_numpy(dtype="int64"), index=pd.Index(codes, name="地区コード"),
                            name="年齢不詳")
    notes = _notes(name, prefecture, int(unknown_age.sum()), int(both["総数"].sum()), not projected.empty,
                   len(wards), use_wards)
    return TownTables(code, name, prefecture, not wards.empty, _canonical(areas, ()),
                      _canonical(population, ("年", "人口")), unknown_age, notes)


def town_tables(code: str, use_wards: bool = False) -> TownTables:
    """Municipality ``code`` (5 digits) as the town, from the shipped national data.

    Areas: the whole municipality as one area (地区コード = ``code``), or with
    ``use_wards`` the wards of a 政令指定都市 (ignored for other municipalities).
    Population: the 2020 census by sex (男/女/計) and band 0-4 … 100+ (実績) per
    area, its people of unknown age shared out over the bands (``allocate_unknown``;
    ``unknown_age`` keeps their number), then the IPSS 2018 projections for 2025–2045 (計, bands 0-4 … 85-89,
    90+, 推計) under ``code``, or under ``WHOLE_TOWN`` when the areas are wards
    (projections exist only for the whole city). No projection rows for
    Fukushima's municipalities. The frames are copies: changing them changes
    nothing cached.
    """
    tables = _town_tables(code, use_wards)
    return dataclasses.replace(tables, areas=tables.areas.copy(), population=tables.population.copy(),
                               unknown_age=tables.unknown_age.copy())
