"""Figures given per 町丁字, summed per 地区 through an ``area_map`` file.

A municipality's 住民基本台帳 or census tables come by 町丁字; its 日常生活圏域
are unions of 町丁字, listed in a correspondence table (the ``area_map`` kind:
町丁字コード or 町丁字名 → 地区コード). ``sum_by_area`` applies it to any table the
kit reads whose 地区コード holds 町丁字: the counts of a statistics table
(population, certification) are summed per 地区; a table of records (cases,
resources, …) keeps its rows, each given its 地区. What could not be matched is
reported, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from kit.io import normalize as nz
from kit.io import schema

__all__ = ["AreaSum", "small_area_key", "sum_by_area"]

_SHOWN = 10
_KANJI_DIGITS = dict(zip("〇一二三四五六七八九", "0123456789"))
_CHOME = re.compile(r"([〇一二三四五六七八九十]+)(丁目)")


def _kanji_number(text: str) -> str:
    """一 → 1, 十二 → 12, 二十 → 20 (丁目 numbers never pass 99)."""
    if "十" not in text:
        return "".join(_KANJI_DIGITS[ch] for ch in text)
    tens, _, ones = text.partition("十")
    return str((int(_KANJI_DIGITS[tens]) if tens else 1) * 10 + (int(_KANJI_DIGITS[ones]) if ones else 0))


def small_area_key(name: object) -> str:
    """A 町丁字 name as compared between files: NFKC, no spaces, and the number of
    a 丁目 in digits, so 本町一丁目, 本町１丁目 and 本町 1丁目 are one 町丁字."""
    text = nz.normalize_header(name)
    return _CHOME.sub(lambda match: _kanji_number(match[1]) + match[2], text)


@dataclass
class AreaSum:
    data: pd.DataFrame               # 地区コード (and 地区名) are the 地区 now
    matched_by: str                  # 町丁字コード or 町丁字名
    small_areas: int                 # 町丁字 of the data that were matched
    unmatched: list[str] = field(default_factory=list)  # 町丁字 of the data the map lacks (left out)
    unused: list[str] = field(default_factory=list)     # 町丁字 of the map no row of the data has
    skipped_missing: int = 0         # missing counts (***, x, …) left out of the sums

    def summary(self) -> str:
        """The result in Japanese: what was summed, and what could not be."""
        areas = self.data["地区コード"].nunique()
        parts = [f"町丁字 {self.small_areas} を地区 {areas} にまとめました（{self.matched_by}で対応）"]
        if self.unmatched:
            parts.append(f"対応表にない町丁字 {len(self.unmatched)}（集計に入れていません）: {_listed(self.unmatched)}")
        if self.unused:
            parts.append(f"データのない対応表の町丁字 {len(self.unused)}: {_listed(self.unused)}")
        if self.skipped_missing:
            parts.append(f"値のないところ（***・x など）{self.skipped_missing:,}か所は合計に入れていません")
        return "。".join(parts)


def _listed(items: list[str]) -> str:
    return "、".join(items[:_SHOWN]) + (f" ほか{len(items) - _SHOWN}" if len(items) > _SHOWN else "")


def _keys(values: pd.Series, by_name: bool) -> pd.Series:
    return values.map(lambda value: small_area_key(value) if isinstance(value, str) else None) if by_name \
        else values.map(lambda value: nz.normalize_text(value) if isinstance(value, str) else None)


def _matching(data: pd.DataFrame, area_map: pd.DataFrame) -> tuple[str, pd.Series, pd.Series]:
    """The map column and the data's column that match most 町丁字: codes to
    the data's 地区コード, or names to its 地区名 (or to its 地区コード, when a
    table by name used the name as the code)."""
    options = []
    for column in ("町丁字コード", "町丁字名"):
        if column not in area_map or area_map[column].isna().all():
            continue
        by_name = column == "町丁字名"
        keys = _keys(area_map[column], by_name)
        for own in (["地区名", "地区コード"] if by_name else ["地区コード"]):
            if own in data:
                found = _keys(data[own], by_name)
                options.append((int(found.isin(set(keys.dropna())).sum()), column, keys, found))
    if not options:
        raise ValueError("対応表に「町丁字コード」も「町丁字名」もありません")
    _count, column, keys, found = max(options, key=lambda option: option[0])
    return column, keys, found


def sum_by_area(data: pd.DataFrame, area_map: pd.DataFrame, kind: str = "population") -> AreaSum:
    """``data`` (a table of ``kind`` as ``kit.io.load`` gives it, its 地区コード
    holding 町丁字) with its 町丁字 replaced by the 地区 of ``area_map`` (an
    ``area_map`` table): counts summed per 地区 for kinds with a key
    (population, certification), rows kept otherwise. Rows of 町丁字 the map
    lacks are left out and listed in ``unmatched``."""
    spec = schema.SPECS[kind]
    column, map_keys, data_keys = _matching(data, area_map)
    to_area = dict(zip(map_keys, area_map["地区コード"]))
    names = dict(zip(area_map["地区コード"], area_map["地区名"])) if "地区名" in area_map else {}
    matched = data_keys.isin(to_area.keys()).to_numpy()
    shown = data["地区名"].where(data["地区名"].notna(), data["地区コード"]) if "地区名" in data else data["地区コード"]
    unmatched = list(dict.fromkeys(shown[~matched].dropna().astype(str)))
    used = set(data_keys[matched])
    unused = [str(original) for original, key in zip(area_map[column], map_keys) if key not in used]
    rows = data[matched].copy()
    rows["地区コード"] = data_keys[matched].map(to_area).to_numpy()
    if "地区名" in rows:
        rows["地区名"] = rows["地区コード"].map(names).astype(object) if names else None
    skipped = 0
    if spec.key:
        counts = [c.name for c in spec.columns if c.type in (schema.COUNT, schema.TALLY) and c.name in rows]
        skipped = int(rows[counts].isna().to_numpy().sum())
        keys = [name for name in spec.key if name in rows]
        firsts = [name for name in rows if name not in keys and name not in counts]
        grouped = rows.groupby(keys, sort=False, dropna=False)
        rows = grouped[counts].sum(min_count=1).join(grouped[firsts].first()).reset_index()
        rows = rows[[name for name in data.columns if name in rows]]
    else:
        rows = rows.reset_index(drop=True)
    return AreaSum(rows, column, int(pd.Series(data_keys[matched]).nunique()), unmatched, unused, skipped)
