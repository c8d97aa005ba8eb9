"""The canonical columns of each kind of input file, as data (DATA_SPEC.md).

A reader needs, per column: its type, whether the column must be present,
whether every row must fill it, whether values must be unique, and for
vocabulary columns the allowed terms (always taken from ``kit.vocab``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kit import vocab
from kit.io.normalize import normalize_header

__all__ = [
    "KINDS",
    "SPECS",
    "ColumnSpec",
    "KindSpec",
    "header_key",
    "header_lookup",
    "match_header",
    "TEXT", "ID", "COUNT", "TALLY", "NUMBER", "YEAR", "DATE", "ENUM", "MULTI_ENUM",
    "AREA", "AREA_LIST", "LATITUDE", "LONGITUDE", "FLAG", "AGE_BAND",
]

# Column types. AREA_LIST is a multi-valued list of 地区コード (or 全域). TALLY is
# a count in a statistics table, where a dash 「-」 is 0 (COUNT reads it as missing).
TEXT = "text"
ID = "id"
COUNT = "count"
TALLY = "tally"
NUMBER = "number"
YEAR = "year"
DATE = "date"
ENUM = "enum"
MULTI_ENUM = "multi-enum"
AREA = "area"
AREA_LIST = "area-list"
LATITUDE = "latitude"
LONGITUDE = "longitude"
FLAG = "flag"
AGE_BAND = "age-band"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str = TEXT
    required: bool = False    # the column must be in the file
    nonempty: bool = False    # every row must have a value in it
    unique: bool = False
    vocab: tuple[str, ...] = ()
    # Terms users write that belong under a vocabulary term (a sub-item of an
    # actor category): offered as the suggestion when such a term is refused.
    hints: dict[str, str] = field(default_factory=dict)
    # Value given to every row when the column is absent (the reader warns).
    default: str | None = None
    # Terms outside ``vocab`` are kept as the user's own (a team's own 生活課題
    # tag) and listed in the summary, instead of refusing the file.
    own_terms: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str                    # Japanese name of the file, for messages
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()     # columns that together identify a row
    # The rows are areas and e-Stat's area columns name them (schema.match_header).
    e_stat_areas: bool = False

    def column(self, name: str) -> ColumnSpec:
        return next(column for column in self.columns if column.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


_CATEGORY_HINTS = {item: category for category, items in vocab.ACTOR_CATEGORIES.items() for item in items}


def _area(**kwargs) -> ColumnSpec:
    return ColumnSpec("地区コード", AREA, required=True, nonempty=True, **kwargs)


_SPECS = (
    KindSpec("areas", "地区の一覧", (
        _area(unique=True),
        ColumnSpec("地区名", required=True, nonempty=True),
        ColumnSpec("地域特性", ENUM, vocab=vocab.AREA_TYPES),
    ), e_stat_areas=True),
    KindSpec("population", "人口", (
        _area(),
        ColumnSpec("年", YEAR, required=True, nonempty=True),
        ColumnSpec("性別", ENUM, required=True, nonempty=True, vocab=vocab.SEXES, default="計"),
        ColumnSpec("年齢階級", AGE_BAND, required=True, nonempty=True),
        ColumnSpec("人口", TALLY, required=True),
        ColumnSpec("区分", ENUM, required=True, nonempty=True, vocab=vocab.POPULATION_KINDS,
                   default=vocab.POPULATION_KINDS[0]),
        # The area's name as the file gives it (e-Stat's name column, a 町丁字).
        ColumnSpec("地区名"),
    ), key=("地区コード", "年", "性別", "年齢階級", "区分"), e_stat_areas=True),
    KindSpec("certification", "要介護認定", (
        _area(),
        ColumnSpec("年", YEAR, required=True, nonempty=True),
        *(ColumnSpec(level, TALLY, required=True) for level in vocab.CERT_LEVELS),
        ColumnSpec("第1号被保険者数", TALLY),
    ), key=("地区コード", "年"), e_stat_areas=True),
    KindSpec("needs_survey", "ニーズ調査", (
        ColumnSpec("回答者ID", ID, required=True, nonempty=True, unique=True),
        _area(),
        ColumnSpec("性別", ENUM, required=True, vocab=vocab.SEXES[:2]),
        ColumnSpec("年齢", COUNT, required=True),
        *(ColumnSpec(flag, FLAG) for flag in vocab.RISK_FLAGS),
    )),
    KindSpec("resources", "地域資源", (
        ColumnSpec("資源ID", ID, required=True, nonempty=True, unique=True),
        ColumnSpec("名称", required=True, nonempty=True),
        # RESOURCE_TYPES is what forms offer; files may use their own kinds.
        ColumnSpec("種別", required=True, nonempty=True),
        _area(),
        ColumnSpec("主体ID", ID),
        ColumnSpec("開催頻度"),
        ColumnSpec("対象"),
        ColumnSpec("緯度", LATITUDE),
        ColumnSpec("経度", LONGITUDE),
        ColumnSpec("住所"),
    )),
    KindSpec("cases", "個別事例", (
        ColumnSpec("事例ID", ID, required=True, nonempty=True, unique=True),
        _area(),
        ColumnSpec("年齢階級", AGE_BAND, required=True),
        ColumnSpec("性別", ENUM, required=True, vocab=vocab.SEXES[:2]),
        ColumnSpec("世帯", ENUM, required=True, vocab=vocab.HOUSEHOLDS),
        ColumnSpec("要介護度", ENUM, required=True, vocab=vocab.CARE_LEVELS),
        ColumnSpec("本人の望み", required=True),
        ColumnSpec("困りごと", required=True),
        ColumnSpec("経過"),
        ColumnSpec("生活課題", MULTI_ENUM, vocab=vocab.LIFE_ISSUES, own_terms=True),
        ColumnSpec("本人の資源"),
        ColumnSpec("緊急度", ENUM, vocab=vocab.URGENCIES),
    )),
    KindSpec("actors", "多様な主体", (
        ColumnSpec("主体ID", ID, required=True, nonempty=True, unique=True),
        ColumnSpec("名称", required=True, nonempty=True),
        ColumnSpec("主体種別", ENUM, vocab=vocab.ACTOR_TYPES),
        ColumnSpec("業種", ENUM, vocab=vocab.INDUSTRIES),
        ColumnSpec("本業・サービス内容"),
        ColumnSpec("カテゴリ", MULTI_ENUM, vocab=tuple(vocab.ACTOR_CATEGORIES), hints=_CATEGORY_HINTS),
        ColumnSpec("対応できる生活課題", MULTI_ENUM, vocab=vocab.LIFE_ISSUES, own_terms=True),
        ColumnSpec("活動地区", AREA_LIST),
        ColumnSpec("本業との関わり", ENUM, vocab=vocab.BUSINESS_RELATIONS),
        ColumnSpec("取組形態", ENUM, vocab=vocab.ENGAGEMENT_FORMS),           # seed 004
        ColumnSpec("連携状況", ENUM, vocab=vocab.COLLAB_STATUSES),
        ColumnSpec("ツドレバ取組区分", MULTI_ENUM, vocab=vocab.TSUDOREBA_APPROACHES),  # seed 000
        ColumnSpec("対応できる状態像", MULTI_ENUM, vocab=vocab.TSUDOREBA_STATES),
        ColumnSpec("価値を感じていること"),
        ColumnSpec("知っていること・やっていること"),                        # seed 001's 4 voices
        ColumnSpec("困っていること"),
        ColumnSpec("できること・やりたいこと"),
        ColumnSpec("担当者"),
        ColumnSpec("電話"),
        ColumnSpec("メール"),
        ColumnSpec("緯度", LATITUDE),
        ColumnSpec("経度", LONGITUDE),
        ColumnSpec("住所"),
        ColumnSpec("更新日", DATE),
    )),
    # 町丁字 → 地区: 町丁字コード or 町丁字名 (at least one; the reader checks).
    KindSpec("area_map", "町丁字と地区の対応表", (
        ColumnSpec("町丁字コード"),
        ColumnSpec("町丁字名"),
        _area(),
        ColumnSpec("地区名"),
    )),
)

SPECS: dict[str, KindSpec] = {spec.kind: spec for spec in _SPECS}
KINDS: tuple[str, ...] = tuple(SPECS)


def header_key(header: object) -> str:
    """A header as looked up: normalised, letter case ignored."""
    return normalize_header(header).casefold()


def header_lookup(kind: str) -> dict[str, str]:
    """Normalised header → canonical column of ``kind``: the canonical names
    themselves, then ``vocab.HEADER_SYNONYMS`` (the kind's own table wins).
    Synonyms pointing at a column this kind lacks are left out."""
    names = SPECS[kind].names
    synonyms = {**vocab.HEADER_SYNONYMS[None], **vocab.HEADER_SYNONYMS.get(kind, {})}
    lookup = {header_key(header): target for header, target in synonyms.items() if target in names}
    lookup.update({header_key(name): name for name in names})
    return lookup


# e-Stat names a dimension's two columns 「<次元> コード」 and 「<次元>」.
_E_STAT_CODE = re.compile(r"^(?P<dimension>.+?)コード$")
_EXACT, _SYNONYM = 100, 50


def _e_stat_area(header: str) -> tuple[str, int] | None:
    """An e-Stat area dimension (全国，都道府県，市区町村（2000年市区町村含む） コード,
    町丁・字等 …): (地区コード or 地区名, how fine its areas are)."""
    key = header_key(header)
    match = _E_STAT_CODE.match(key)
    dimension = match["dimension"] if match else key
    levels = [level for level, words in enumerate(vocab.E_STAT_AREA_WORDS, start=1)
              if any(word in dimension for word in words)]
    if dimension == vocab.E_STAT_AREA_DIMENSION:
        levels.append(3)
    if not levels:
        return None
    return ("地区コード" if match else "地区名"), max(levels)


def match_header(kind: str, header: str, lookup: dict[str, str] | None = None) -> tuple[str, int] | None:
    """The canonical column of ``kind`` a file's header names, with a rank for
    when two headers name the same column (the higher is used): the exact
    name, then a synonym, then an e-Stat area column (the finest areas first)."""
    lookup = header_lookup(kind) if lookup is None else lookup
    key = header_key(header)
    if key in lookup:
        target = lookup[key]
        return target, _EXACT if key == header_key(target) else _SYNONYM
    if SPECS[kind].e_stat_areas and (found := _e_stat_area(header)) and found[0] in SPECS[kind].names:
        return found
    return None
