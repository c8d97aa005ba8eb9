"""The tables a page works on: the user's own upload when the workspace has one,
otherwise the sample town shipped in ``data/sample_town``.

Uploads are stored whole in the workspace under ``data/<kind>``, so every page
and every kernel sees the same table, and a failed upload never replaces it.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kit.io import load
from kit.paths import SAMPLE_TOWN

__all__ = ["KIND_LABELS", "sample", "table_key", "for_workspace", "is_uploaded"]

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


@lru_cache(maxsize=None)
def _sample(kind: str) -> pd.DataFrame:
    result = load(kind, SAMPLE_TOWN / f"{kind}.csv")
    if not result.ok:  # the shipped data is tested; this guards a broken checkout
        raise RuntimeError(result.report())
    return result.data


def sample(kind: str) -> pd.DataFrame:
    """The sample town's table, read once per kernel through the same reader as uploads."""
    return _sample(kind).copy()


def table_key(kind: str) -> str:
    return f"data/{kind}"


def for_workspace(workspace, kind: str) -> pd.DataFrame:
    """The workspace's uploaded table for ``kind``, or the sample town's."""
    uploaded = workspace.get_table(table_key(kind))
    return uploaded if uploaded is not None else sample(kind)


def is_uploaded(workspace, kind: str) -> bool:
    return table_key(kind) in workspace.keys(table_key(kind))
