"""The pitch step's state: its store keys, and what the dashboard reads of it."""

from __future__ import annotations

from kit.steps import StepProgress, step_progress
from kit.steps.pitch.domain import DRAFT_PREFIX, REVIEWS_KEY, check, load_pitch

__all__ = ["PREFIXES", "started", "progress"]

PREFIXES: tuple[str, ...] = (DRAFT_PREFIX,)


def started(workspace) -> bool:
    return bool(workspace.keys(DRAFT_PREFIX))


def progress(workspace) -> StepProgress:
    if not started(workspace):
        return step_progress(workspace, PREFIXES, False, "—")
    prompts = len(check(load_pitch(workspace)))
    reviews = len(workspace.get(REVIEWS_KEY) or {})
    return step_progress(workspace, PREFIXES, prompts == 0, f"チェック残り {prompts}件・評価 {reviews}件")
