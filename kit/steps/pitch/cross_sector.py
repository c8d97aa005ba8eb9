"""Numbers that persuade a municipality: cross-sector effect and standard amounts.

Cross-sector effect (クロスセクター効果, seed 004, 図表 2-20): if a service the
municipality pays for stopped, other sections (医療, 商業, 教育, 福祉, 財政 …)
would have to pay for substitutes — hospital shuttles, taxi vouchers, school
buses, lost tax. The effect is those substitute costs minus what the service
costs today; a positive effect means the service is cheaper than what it
replaces. Amounts here are 万円 per year, as in the seed.

Standard amounts of 生活支援体制整備事業 (seed 000, 令和6年度要綱改正) are in 千円:
第1層 8,000 per municipality, 第2層 4,000 per 日常生活圏域, and 4,000 per
municipality for 住民参画・官民連携推進事業. A designated city counts its wards
(行政区) instead of 1; a 一部事務組合 or 広域連合 counts its member municipalities.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from kit.vocab import CROSS_SECTOR_FIELDS

__all__ = [
    "FUKUSAKI",
    "MEASURE_EXAMPLES",
    "PARTNERSHIP_PER_UNIT",
    "TIER1_PER_UNIT",
    "TIER2_PER_AREA",
    "CrossSector",
    "StandardAmounts",
    "SubstituteCost",
    "area_count",
]

# 千円, seed 000 (厚生労働省老健局「令和6年度地域支援事業実施要綱等の改正点について」).
TIER1_PER_UNIT = 8_000
TIER2_PER_AREA = 4_000
PARTNERSHIP_PER_UNIT = 4_000

# Substitutes a section would need if a community bus stopped, as named in seed 004's
# table; shown as hints beside the calculator.
MEASURE_EXAMPLES: dict[str, tuple[str, ...]] = {
    "医療": ("通院のための送迎バス", "通院のためのタクシー券", "訪問診療", "外出が減ることによる医療費の増加"),
    "商業": ("買物のための送迎バス", "買物のためのタクシー券", "移動販売への補助"),
    "教育": ("スクールバス", "通学のためのタクシー券"),
    "福祉": ("通院・買物・通学以外の外出のためのタクシー券",),
    "財政": ("地価の下落による税収の減少",),
}


@dataclass(frozen=True)
class SubstituteCost:
    """One measure another section would have to pay for, in 万円 per year."""

    field: str
    measure: str
    amount: float

    def __post_init__(self):
        if self.field not in CROSS_SECTOR_FIELDS:
            raise ValueError(f"分野は {'・'.join(CROSS_SECTOR_FIELDS)} から選んでください: {self.field}")
        if not self.amount >= 0:  # also refuses NaN
            raise ValueError(f"「{self.measure or self.field}」の費用は0以上の数で入れてください。")


@dataclass(frozen=True)
class CrossSector:
    """What the municipality spends on a service against the substitutes it spares."""

    service: str = ""
    spending: float = 0.0                       # 万円/年
    items: tuple[SubstituteCost, ...] = ()
    source: str = ""

    def __post_init__(self):
        if not self.spending >= 0:
            raise ValueError("財政支出は0以上の数で入れてください。")

    @property
    def substitutes(self) -> float:
        """分野別代替費用: the sum of every substitute measure."""
        return float(sum(item.amount for item in self.items))

    @property
    def effect(self) -> float:
        """クロスセクター効果 = 分野別代替費用 − 財政支出 (万円/年)."""
        return self.substitutes - self.spending

    @property
    def is_filled(self) -> bool:
        return self.spending > 0 and bool(self.items)

    def by_field(self) -> pd.Series:
        """Substitute costs summed per section, in the vocabulary's order."""
        table = pd.DataFrame([asdict(item) for item in self.items], columns=["field", "measure", "amount"])
        sums = table.groupby("field")["amount"].sum()
        return sums.reindex([f for f in CROSS_SECTOR_FIELDS if f in sums.index]).astype(float)

    def summary(self) -> str:
        """One sentence a slide or a page can show."""
        if not self.is_filled:
            return "財政支出と代替費用を入れると、クロスセクター効果を計算します。"
        verdict = ("この事業は、なくした場合に他の分野でかかる費用より安く済んでいます。" if self.effect > 0
                   else "この事業の支出は、他の分野で生じる代替費用を上回っています。")
        return (f"財政支出 {self.spending:,.0f}万円/年 に対し、なくした場合の分野別代替費用は "
                f"{self.substitutes:,.0f}万円/年。クロスセクター効果は {self.effect:,.0f}万円/年 です。{verdict}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "CrossSector":
        items = tuple(SubstituteCost(**item) for item in data.get("items", ()))
        return cls(**{**data, "items": items})


# Seed 004: 福崎町 (兵庫県) spent about 1,600万円 a year on its community bus (2017);
# without it, the substitutes of the other sections would cost about 2,330万円. The
# seed's itemised table is not legible enough to copy line by line, so the worked
# example carries the total as one line.
FUKUSAKI = CrossSector(
    service="兵庫県福崎町 コミュニティバス（2017年度）",
    spending=1_600,
    items=(SubstituteCost("その他", "医療・商業・教育・福祉・財政の代替施策の合計", 2_330),),
    source="近畿運輸局 クロスセクター効果リーフレット（seed 004 図表2-20）",
)


@dataclass(frozen=True)
class StandardAmounts:
    """Standard amounts of 生活支援体制整備事業 for one insurer, in 千円.

    ``wards`` > 0 for a designated city (its 行政区), ``members`` > 0 for a
    一部事務組合 or 広域連合 (its member municipalities); otherwise one municipality."""

    areas: int          # 日常生活圏域
    wards: int = 0
    members: int = 0

    def __post_init__(self):
        for value, label in ((self.areas, "日常生活圏域の数"), (self.wards, "行政区の数"),
                             (self.members, "構成市町村の数")):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{label}は0以上の整数で入れてください: {value}")
        if self.wards and self.members:
            raise ValueError("指定都市と広域連合（一部事務組合）は同時に選べません。")
        if self.areas == 0:
            raise ValueError("日常生活圏域の数が0です。地区の表を読み込むか、数を入れてください。")

    @property
    def units(self) -> int:
        return self.wards or self.members or 1

    @property
    def unit_label(self) -> str:
        return "行政区" if self.wards else "構成市町村" if self.members else "市町村"

    @property
    def tier1(self) -> int:
        return TIER1_PER_UNIT * self.units

    @property
    def tier2(self) -> int:
        return TIER2_PER_AREA * self.areas

    @property
    def partnership(self) -> int:
        return PARTNERSHIP_PER_UNIT * self.units

    @property
    def total(self) -> int:
        return self.tier1 + self.tier2 + self.partnership

    def lines(self) -> list[tuple[str, str, int]]:
        """(item, how it is computed, 千円) rows for a table or a slide."""
        per = f"{self.units}{self.unit_label}"
        return [
            ("第1層（市町村区域）", f"{TIER1_PER_UNIT:,}千円 × {per}", self.tier1),
            ("第2層（日常生活圏域）", f"{TIER2_PER_AREA:,}千円 × {self.areas}圏域", self.tier2),
            ("住民参画・官民連携推進事業", f"{PARTNERSHIP_PER_UNIT:,}千円 × {per}", self.partnership),
        ]


def area_count(areas: pd.DataFrame) -> int:
    """Number of 日常生活圏域 in an areas table (distinct 地区コード)."""
    return int(areas["地区コード"].dropna().nunique())
