"""地域診断: the town's ageing, care needs and resources per 日常生活圏域.

Pure functions over the canonical tables of ``kit.io`` (population, certification,
resources, areas); the risk rates of the ニーズ調査 are in ``kit.steps.assessment.risk_rules``. Every
table carries the whole town as the pseudo area ``vocab.WHOLE_TOWN`` (named 全体)
after the areas, so a screen can show an area beside the town.

Definitions, stated on screen:

- age groups are sums of 5-year bands; 生産年齢 is 15–64;
- shares are of the area's total population, growth is an index with the first
  year of the data = 100 (2020 for the sample town);
- 認定率 divides the certified by the 第1号被保険者数 of the file when given,
  otherwise by the 65歳以上 population of the same year (the table says which);
- 軽度 is 要支援1・要支援2・要介護1 (``vocab.LIGHT_CERT_LEVELS``), as a share of
  all certified;
- resources per 1,000 people aged 65+ use the 65歳以上 population of a year the
  caller names.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kit import vocab
from kit.reference import BASE_YEAR, GROUPS
from kit.steps.assessment import risk_rules

__all__ = [
    "WORKING_AGE",
    "AGE_GROUP_ORDER",
    "TOWN_NAME",
    "NEED_SUPPLY_PAIRS",
    "area_names",
    "age_groups",
    "population_table",
    "support_ratio",
    "town_profile",
    "certification_table",
    "certification_trend",
    "resource_table",
    "needs_supply",
    "check_upload",
]

WORKING_AGE = "15-64歳"
AGE_GROUP_ORDER: tuple[str, ...] = (GROUPS[0], WORKING_AGE, *GROUPS[1:])
TOWN_NAME = "全体"
# Lower bound (and upper, for the working age) of each group, in years.
_BOUNDS = {GROUPS[0]: (0, 200), WORKING_AGE: (15, 64), GROUPS[1]: (65, 200), GROUPS[2]: (75, 200),
           GROUPS[3]: (85, 200)}

# Needs × supply: which resource kinds (of vocab.RESOURCE_TYPES) answer which risk
# (of vocab.RISK_FLAGS); the kit's default pairing, the user may pick other kinds.
NEED_SUPPLY_PAIRS: dict[str, tuple[str, ...]] = {
    "運動器機能低下": ("通いの場", "介護予防教室"),
    "転倒リスク": ("通いの場", "介護予防教室"),
    "閉じこもり傾向": ("通いの場", "サロン", "地域食堂"),
    "低栄養": ("配食", "地域食堂"),
    "口腔機能低下": ("介護予防教室", "地域食堂"),
    "認知機能低下": ("認知症カフェ", "見守り"),
    "うつ傾向": ("サロン", "通いの場"),
    "IADL低下": ("買物支援", "移動支援", "配食", "生活支援(有償ボランティア)"),
}


def area_names(areas: pd.DataFrame) -> dict[str, str]:
    """地区コード → 地区名, the areas in file order, then the whole town."""
    names = dict(zip(areas["地区コード"], areas["地区名"]))
    names[vocab.WHOLE_TOWN] = TOWN_NAME
    return names


def _lower_age(bands: pd.Series) -> pd.Series:
    return bands.astype(str).str.extract(r"^(\d+)", expand=False).astype(int)


def _counted_over_projected(population: pd.DataFrame) -> pd.DataFrame:
    """Without the projected rows of an area's year that also has counted rows: a
    projection starts from a census year (社人研's from 2020), and a file joining
    the census to the projection would otherwise count that year twice."""
    kind = population["区分"]
    counted = pd.MultiIndex.from_frame(population.loc[kind == vocab.POPULATION_KINDS[0], ["地区コード", "年"]])
    also_counted = pd.MultiIndex.from_frame(population[["地区コード", "年"]]).isin(counted)
    return population[~(also_counted & (kind != vocab.POPULATION_KINDS[0]))]


def _both_sexes(population: pd.DataFrame) -> pd.DataFrame:
    """One count per area, year and band: the 計 row, else 男 + 女."""
    population = _counted_over_projected(population)
    keys = ["地区コード", "年", "年齢階級"]
    totals = population[population["性別"] == "計"].groupby(keys)["人口"].sum(min_count=1)
    by_sex = population[population["性別"].isin(vocab.SEXES[:2])].groupby(keys)["人口"].sum(min_count=1)
    both = totals.combine_first(by_sex).rename("人口").reset_index()
    kinds = population.groupby(["地区コード", "年"])["区分"].first()
    return both.join(kinds, on=["地区コード", "年"])


def age_groups(population: pd.DataFrame) -> pd.DataFrame:
    """Long table: 地区コード, 年, 区分 (実績/推計), 年齢区分, 人口, the whole town included.

    The whole town is the sum of its areas. Rows the population gives for the
    whole town itself (地区コード 全域) count for the years its areas lack: a
    projection made only for a whole city beside its wards' census figures."""
    both = _both_sexes(population)
    lower = _lower_age(both["年齢階級"])
    parts = []
    for group, (low, high) in _BOUNDS.items():
        members = both[(lower >= low) & (lower <= high)]
        summed = members.groupby(["地区コード", "年", "区分"])["人口"].sum(min_count=1).reset_index()
        parts.append(summed.assign(年齢区分=group))
    table = pd.concat(parts, ignore_index=True)
    given = table["地区コード"] == vocab.WHOLE_TOWN
    areas, own = table[~given], table[given]
    town = (areas.groupby(["年", "区分", "年齢区分"])["人口"].sum(min_count=1).reset_index()
            .assign(地区コード=vocab.WHOLE_TOWN))
    town = pd.concat([town, own[~own["年"].isin(town["年"])]], ignore_index=True)
    return pd.concat([areas, town], ignore_index=True)[["地区コード", "年", "区分", "年齢区分", "人口"]]


def population_table(population: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Per area, year and age group: 人口, 割合 (% of the area's total) and 伸び
    (first year = 100). Rows in area order, then year, then ``AGE_GROUP_ORDER``."""
    table = age_groups(population)
    totals = table[table["年齢区分"] == GROUPS[0]].set_index(["地区コード", "年"])["人口"]
    table["割合"] = table["人口"] / table.set_index(["地区コード", "年"]).index.map(totals).to_numpy() * 100
    base_year = int(table["年"].min())
    base = table[table["年"] == base_year].set_index(["地区コード", "年齢区分"])["人口"]
    table["伸び"] = table["人口"] / table.set_index(["地区コード", "年齢区分"]).index.map(base).to_numpy() * 100
    names = area_names(areas)
    table.insert(1, "地区名", table["地区コード"].map(names))
    order = {code: i for i, code in enumerate(names)}
    table = table.assign(_area=table["地区コード"].map(order),
                         _group=table["年齢区分"].map(AGE_GROUP_ORDER.index))
    table = table.sort_values(["_area", "年", "_group"]).drop(columns=["_area", "_group"])
    return table.astype({"人口": "float64", "割合": "float64", "伸び": "float64"}).reset_index(drop=True)


def support_ratio(table: pd.DataFrame) -> pd.DataFrame:
    """Per area and year, people of working age per person aged 85+ (the 2040
    problem in one number), from :func:`population_table`."""
    wide = table.pivot_table(index=["地区コード", "地区名", "年"], columns="年齢区分", values="人口",
                             sort=False)
    out = wide[[WORKING_AGE, GROUPS[3]]].reset_index()
    out["85歳以上1人あたりの15-64歳"] = out[WORKING_AGE] / out[GROUPS[3]]
    out.columns.name = None
    return out


def town_profile(table: pd.DataFrame, code: str = vocab.WHOLE_TOWN) -> pd.DataFrame:
    """An area of :func:`population_table` in ``reference.profile``'s shape (年, 区分 =
    総数/65歳以上/…, 人口, 割合, 伸び), growth re-based on the reference's 2020 so the
    town compares with Japan (NaN when the town's data lack that year)."""
    rows = table[(table["地区コード"] == code) & table["年齢区分"].isin(GROUPS)]
    profile = rows[["年", "年齢区分", "人口", "割合"]].rename(columns={"年齢区分": "区分"}).reset_index(drop=True)
    base = profile[profile["年"] == BASE_YEAR].set_index("区分")["人口"]
    profile["伸び"] = profile["人口"] / profile["区分"].map(base).astype(float) * 100
    return profile


def certification_table(certification: pd.DataFrame, population: pd.DataFrame | None,
                        areas: pd.DataFrame, year: int) -> pd.DataFrame:
    """認定者 by level, 認定率 and 軽度 share per area (and the town) in ``year``."""
    of_year = certification[certification["年"] == year]
    levels = list(vocab.CERT_LEVELS)
    counts = of_year.groupby("地区コード")[levels].sum(min_count=1)
    insured = of_year.groupby("地区コード")["第1号被保険者数"].sum(min_count=1)
    counts.loc[vocab.WHOLE_TOWN] = counts.sum(min_count=1)
    insured.loc[vocab.WHOLE_TOWN] = insured.sum(min_count=1) if insured.notna().all() else np.nan
    # The population is summed only when the file lacks 第1号被保険者数.
    elderly = _elderly(population, year) if insured.isna().any() or insured.empty else pd.Series(dtype=float)
    names = area_names(areas)
    rows = []
    for code in [c for c in names if c in counts.index]:
        certified = counts.loc[code].sum()
        if pd.notna(insured.get(code)):
            denominator, source = float(insured[code]), "第1号被保険者数"
        elif code in elderly.index:
            denominator, source = float(elderly[code]), f"65歳以上人口（{year}年）"
        else:
            denominator, source = math.nan, "分母なし"
        light = counts.loc[code, list(vocab.LIGHT_CERT_LEVELS)].sum()
        rows.append({"地区コード": code, "地区名": names[code], "年": year,
                     **{level: int(counts.loc[code, level]) for level in levels},
                     "認定者数": int(certified), "分母": denominator, "分母の種類": source,
                     "認定率": certified / denominator * 100 if denominator else math.nan,
                     "軽度": int(light), "軽度の割合": light / certified * 100 if certified else math.nan})
    return pd.DataFrame(rows)


def _elderly(population: pd.DataFrame | None, year: int) -> pd.Series:
    if population is None:
        return pd.Series(dtype=float)
    groups = age_groups(population)
    rows = groups[(groups["年"] == year) & (groups["年齢区分"] == GROUPS[1])]
    return rows.set_index("地区コード")["人口"].astype(float)


def certification_trend(certification: pd.DataFrame, population: pd.DataFrame | None,
                        areas: pd.DataFrame) -> pd.DataFrame:
    """認定率 and 軽度の割合 for every year of the file, per area and the town."""
    years = sorted(certification["年"].dropna().unique())
    return pd.concat([certification_table(certification, population, areas, int(y)) for y in years],
                     ignore_index=True)


def resource_table(resources: pd.DataFrame, population: pd.DataFrame, areas: pd.DataFrame,
                   year: int) -> pd.DataFrame:
    """Per area (and the town) and 種別: 件数, 65歳以上人口 of ``year`` and 千人あたり.
    Kinds of ``vocab.RESOURCE_TYPES`` come first, then the file's own."""
    names = area_names(areas)
    elderly = _elderly(population, year)
    kinds = [k for k in vocab.RESOURCE_TYPES if k in set(resources["種別"])]
    kinds += sorted(set(resources["種別"]) - set(kinds))
    counts = resources.groupby(["地区コード", "種別"]).size()
    rows = []
    for code in names:
        for kind in kinds:
            if code == vocab.WHOLE_TOWN:
                count = int(counts.xs(kind, level="種別").sum()) if kind in counts.index.get_level_values(1) else 0
            else:
                count = int(counts.get((code, kind), 0))
            people = elderly.get(code, math.nan)
            rows.append({"地区コード": code, "地区名": names[code], "種別": kind, "件数": count,
                         "65歳以上人口": people,
                         "千人あたり": count / people * 1000 if people else math.nan})
    return pd.DataFrame(rows)


def needs_supply(rates: pd.DataFrame, resources: pd.DataFrame, domain: str,
                 kinds: tuple[str, ...]) -> pd.DataFrame:
    """One row per area: the rate of the risk of ``domain`` (from
    ``risk_rules.risk_rates``) beside the resources of ``kinds`` per 1,000 aged
    65+ (from :func:`resource_table`), with where the area stands against the town:
    「ニーズ高・資源少」 is where to look first."""
    risk = rates[rates["領域"] == domain].set_index("地区コード")
    supply = (resources[resources["種別"].isin(kinds)]
              .groupby(["地区コード", "地区名"], sort=False)
              .agg(件数=("件数", "sum"), 高齢者=("65歳以上人口", "first")).reset_index())
    supply["千人あたり"] = supply["件数"] / supply["高齢者"] * 1000
    town_rate = risk["該当率"].get(vocab.WHOLE_TOWN, math.nan)
    town_supply = supply.set_index("地区コード")["千人あたり"].get(vocab.WHOLE_TOWN, math.nan)
    rows = []
    for _, area in supply.iterrows():
        code = area["地区コード"]
        rate = risk["該当率"].get(code, math.nan) * 100
        rows.append({
            "地区コード": code, "地区名": area["地区名"], "リスク": risk["リスク"].get(code, domain),
            "該当率": rate, "分母": risk["分母"].get(code, 0), "参考値": bool(risk["参考値"].get(code, True)),
            "資源": "・".join(kinds), "件数": int(area["件数"]), "千人あたり": area["千人あたり"],
            "見立て": "" if code == vocab.WHOLE_TOWN else _quadrant(rate, town_rate * 100,
                                                               area["千人あたり"], town_supply),
        })
    return pd.DataFrame(rows)


def _quadrant(rate: float, town_rate: float, supply: float, town_supply: float) -> str:
    if any(map(math.isnan, (rate, town_rate, supply, town_supply))):
        return "比較できない"
    need = "ニーズ高" if rate > town_rate else "ニーズ低"
    have = "資源少" if supply < town_supply else "資源多"
    return f"{need}・{have}"


def check_upload(kind: str, table: pd.DataFrame) -> None:
    """Refuse (ValueError, Japanese) a file that reads well but that the assessment
    cannot use; nothing is stored then."""
    if kind == "needs_survey":
        problems = risk_rules.item_problems(table)
        if problems:
            shown = "／".join(problems[:5]) + (f" ほか{len(problems) - 5}件" if len(problems) > 5 else "")
            raise ValueError(f"設問の回答に読めない値があります: {shown}")
        if not risk_rules.usable_rule_sets(table):
            raise ValueError("リスクを判定できる設問の列も、判定結果（該当/非該当）の列もありません")
    if kind == "population" and not {"計", "男", "女"} & set(table["性別"]):
        raise ValueError("人口の表に性別（計・男・女）の値がありません")
