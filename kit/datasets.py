"""The tables a page works on, and where each comes from.

For every kind of data the workspace's own upload wins (stored whole under
``data/<kind>``, so every page and every kernel sees the same table, and a failed
upload never replaces it). What the user has not brought comes from the town
(:mod:`kit.town`): the sample town's files for みどり野市; for the user's own town,
the national data the kit ships where it can stand in (the area list and the
population of a chosen municipality), and nothing otherwise — a page then says
which file is missing rather than showing the sample town's figures as the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from kit import town as tw
from kit import vocab
from kit.io import load
from kit.io.schema import SPECS
from kit.paths import SAMPLE_TOWN

__all__ = ["KIND_LABELS", "UPLOAD", "SAMPLE", "NATIONAL", "MISSING", "MISMATCH", "AREA_COLUMNS", "Mismatch", "sample",
           "empty", "table_key", "source", "for_workspace", "is_uploaded", "put_upload", "delete_upload",
           "has_previous_areas", "restore_previous_areas", "mismatches", "area_codes", "areas_from"]

# How each kind is named on screen.
KIND_LABELS: dict[str, str] = {
    "areas": "地区 (日常生活圏域)",
    "population": "人口 (実績・推計)",
    "certification": "要介護認定",
    "needs_survey": "ニーズ調査",
    "resources": "地域資源",
    "cases": "個別事例",
    "actors": "多様な主体",
}
# The column of each kind that names areas, checked against the area list.
AREA_COLUMNS: dict[str, str] = {"population": "地区コード", "certification": "地区コード",
                                "needs_survey": "地区コード", "resources": "地区コード", "cases": "地区コード",
                                "actors": "活動地区"}
_CODES_KEY = "data_codes/{}"          # the area codes of an upload, kept beside it (cheap to check)
_PREVIOUS_AREAS = "data_previous/areas"
_SHOWN_CODES = 5
# Where a table comes from (``source``).
# MISMATCH: the user's file names areas the area list lacks; it is not used until
# replaced or taken back (``mismatches`` says so on the page).
UPLOAD, SAMPLE, NATIONAL, MISSING, MISMATCH = "upload", "sample", "national", "missing", "mismatch"


@lru_cache(maxsize=None)
def _sample(kind: str) -> pd.DataFrame:
    result = load(kind, SAMPLE_TOWN / f"{kind}.csv")
    if not result.ok:  # the shipped data is tested; this guards a broken checkout
        raise RuntimeError(result.report())
    return result.data


def sample(kind: str) -> pd.DataFrame:
    """The sample town's table, read once per kernel through the same reader as uploads."""
    return _sample(kind).copy()


def empty(kind: str) -> pd.DataFrame:
    """A table of ``kind`` with no rows: the canonical columns and their types."""
    return _sample(kind)[list(SPECS[kind].names)].iloc[0:0].copy()


def table_key(kind: str) -> str:
    return f"data/{kind}"


def is_uploaded(workspace, kind: str) -> bool:
    return table_key(kind) in workspace.keys(table_key(kind))


def _national(town: tw.Town, kind: str, own_areas: bool) -> pd.DataFrame | None:
    """The chosen municipality's areas or population from the national data. With
    the user's own area list, the national population is the whole town's only
    (地区コード 全域): it cannot be split into the user's areas."""
    if not town.code or kind not in ("areas", "population"):
        return None
    from kit import (
        reference,  # the national tables are read only for a chosen municipality
    )

    if own_areas:
        if kind == "areas":
            return None
        population = reference.town_tables(town.code, use_wards=False).population
        return population.assign(地区コード=vocab.WHOLE_TOWN)
    tables = reference.town_tables(town.code, use_wards=town.use_wards)
    return (tables.areas if kind == "areas" else tables.population).copy()


def source(workspace, kind: str, town: tw.Town | None = None) -> str:
    """Where the workspace's ``kind`` comes from: UPLOAD, SAMPLE, NATIONAL or MISSING."""
    town = town or tw.current(workspace)
    if town.practice:
        return SAMPLE
    if is_uploaded(workspace, kind):
        return MISMATCH if _stray_codes(workspace, kind, town) else UPLOAD
    if not town.own:
        return SAMPLE
    if town.code and kind in ("areas", "population"):
        return NATIONAL
    return MISSING


def for_workspace(workspace, kind: str, town: tw.Town | None = None) -> pd.DataFrame:
    """The table of ``kind`` the workspace's pages use (see :func:`source`); a
    missing or mismatched kind is an empty table."""
    town = town or tw.current(workspace)
    where = source(workspace, kind, town)
    if where == SAMPLE:
        return sample(kind)
    if where == UPLOAD:
        return workspace.get_table(table_key(kind))
    if where == NATIONAL:
        return _national(town, kind, is_uploaded(workspace, "areas"))
    return empty(kind)


def area_codes(table: pd.DataFrame, kind: str) -> list[str]:
    """The area codes a table of ``kind`` names (全域 aside), sorted."""
    return _codes(table, kind)


def areas_from(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """An area list made from the areas a file names: its 地区名 column where it
    has one, else the code stands for the name (the user can read a proper list later)."""
    codes = [code for code in dict.fromkeys(table[AREA_COLUMNS[kind]].dropna().astype(str)) if code != vocab.WHOLE_TOWN]
    names = dict(zip(table[AREA_COLUMNS[kind]], table["地区名"])) if "地区名" in table else {}
    areas = empty("areas").reindex(range(len(codes)))
    areas["地区コード"] = codes
    areas["地区名"] = [names.get(code) if isinstance(names.get(code), str) else code for code in codes]
    return areas


def _codes(table: pd.DataFrame, kind: str) -> list[str]:
    values = table[AREA_COLUMNS[kind]].dropna()
    if kind == "actors":  # 活動地区 holds several codes, or 全域
        values = values.explode().dropna()
    return sorted(set(map(str, values)) - {vocab.WHOLE_TOWN})


def put_upload(workspace, kind: str, table: pd.DataFrame) -> None:
    """Store the user's file of ``kind``; a replaced area list is kept, so that a
    list that disagrees with the other files can be taken back in one click."""
    if kind == "areas" and is_uploaded(workspace, kind):
        workspace.put_table(_PREVIOUS_AREAS, workspace.get_table(table_key(kind)))
    workspace.put_table(table_key(kind), table)
    if kind in AREA_COLUMNS:
        workspace.put(_CODES_KEY.format(kind), _codes(table, kind))


def delete_upload(workspace, kind: str) -> None:
    """Take the user's file of ``kind`` back: the town's own source serves again."""
    workspace.delete(table_key(kind))
    workspace.delete(_CODES_KEY.format(kind))


def has_previous_areas(workspace) -> bool:
    return bool(workspace.keys(_PREVIOUS_AREAS))


def restore_previous_areas(workspace) -> None:
    workspace.put_table(table_key("areas"), workspace.get_table(_PREVIOUS_AREAS))
    workspace.delete(_PREVIOUS_AREAS)


@dataclass(frozen=True)
class Mismatch:
    kind: str          # the file to replace or take back
    codes: tuple[str, ...]
    message: str       # Japanese, for the page


def _upload_codes(workspace, kind: str) -> list[str]:
    saved = workspace.get(_CODES_KEY.format(kind))
    if saved is not None:
        return list(saved)
    # Written by a step's own page (cases, actors), which keeps no list of codes.
    return _codes(workspace.get_table(table_key(kind)), kind)


def _stray_codes(workspace, kind: str, town: tw.Town) -> list[str]:
    if kind not in AREA_COLUMNS:
        return []
    areas = set(for_workspace(workspace, "areas", town)["地区コード"])
    return [code for code in _upload_codes(workspace, kind) if code not in areas]


def mismatches(workspace, town: tw.Town | None = None) -> list[Mismatch]:
    """The user's files whose area codes are not in the area list in use."""
    town = town or tw.current(workspace)
    if town.practice:
        return []
    found = []
    for kind in AREA_COLUMNS:
        stray = _stray_codes(workspace, kind, town) if is_uploaded(workspace, kind) else []
        if stray:
            shown = "、".join(stray[:_SHOWN_CODES]) + (f" ほか{len(stray) - _SHOWN_CODES}件" if len(stray) > _SHOWN_CODES else "")
            label = KIND_LABELS[kind]
            found.append(Mismatch(kind, tuple(stray), (
                f"読み込んだ「{label}」のファイルに、いまの地区の一覧にない地区コードがあります（{shown}）。"
                f"地区の一覧に合わせた「{label}」のファイルを読み込み直すか、このファイルを取り消してください。"
                "それまで、このファイルは使いません。")))
    return found
