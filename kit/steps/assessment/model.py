"""The 地域診断 step's state: its store keys, and what it hands on (the 気づきメモ)."""

from __future__ import annotations

from kit.steps import StepProgress, step_progress

__all__ = ["SETTINGS_KEY", "MEMO_PREFIX", "MEMO_PROMPTS", "DATA_KINDS", "PREFIXES", "memo_key", "memo_areas",
           "progress"]

SETTINGS_KEY = "assessment/settings"
MEMO_PREFIX = "assessment/memo/"
# Kinds this step reads, in the order its data tab offers them.
DATA_KINDS: tuple[str, ...] = ("areas", "population", "certification", "needs_survey", "resources")
# 気づきメモ: (key, heading, placeholder that guides the writing).
MEMO_PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("notice", "目立つこと", "例: 桜台は2040年に85歳以上が今の2.5倍。閉じこもり傾向の割合も市全体より高い"),
    ("why", "考えられる理由", "例: 1970年代に同じ世代が一斉に入居したニュータウン。坂が多く、通いの場が少ない"),
    ("next", "次に確かめること", "例: 地域ケア会議の事例で外出の困りごとを数える。自治会に集会所の使い方を聞く"),
)
# Uploads of the town's data belong to the diagnosis.
PREFIXES: tuple[str, ...] = ("assessment/", *(f"data/{kind}" for kind in DATA_KINDS))


def memo_key(area: str, prompt: str) -> str:
    return f"{MEMO_PREFIX}{area}/{prompt}"


def memo_areas(workspace) -> set[str]:
    """The areas with a 気づきメモ written."""
    return {key[len(MEMO_PREFIX):].split("/")[0] for key, text in workspace.items(MEMO_PREFIX)
            if isinstance(text, str) and text.strip()}


def progress(workspace) -> StepProgress:
    areas = memo_areas(workspace)
    return step_progress(workspace, PREFIXES, bool(areas), f"メモ {len(areas)}圏域")


def gallery(workspace) -> None:
    """The 気づきメモ stay with the team: the gallery shows the steps that follow."""
    return None


def export_sheets(workspaces) -> dict:
    """気づきメモ: one row per area and prompt written, for every team."""
    import pandas as pd

    from kit.steps import area_names, masked_text

    headings = {key: heading for key, heading, _ in MEMO_PROMPTS}
    rows = []
    for ws in workspaces:
        names = area_names(ws)
        for key, text in ws.items(MEMO_PREFIX):
            area, _, prompt = key[len(MEMO_PREFIX):].partition("/")
            if isinstance(text, str) and text.strip():
                rows.append({"チーム": ws.team, "地区": names.get(area, area),
                             "観点": headings.get(prompt, prompt), "メモ": masked_text(text)})
    return {"気づきメモ": pd.DataFrame(rows, columns=["チーム", "地区", "観点", "メモ"])}
