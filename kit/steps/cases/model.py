"""The cases step's state: its store keys, and what it hands on to the next steps
(the cases with the tags the team confirmed, the regional issues it saved)."""

from __future__ import annotations

import pandas as pd

from kit.steps import StepProgress, step_progress
from kit.steps.cases import domain as cs
from kit.steps.cases.issues import STORE_KEY as ISSUES_KEY
from kit.steps.cases.issues import RegionalIssue, load_issues

__all__ = ["PREFIXES", "ISSUES_KEY", "confirmed_cases", "saved_issues", "progress"]

PREFIXES: tuple[str, ...] = ("cases/", "issues/", "data/cases")


def confirmed_cases(workspace) -> pd.DataFrame:
    """The workspace's cases, their 生活課題 as the team confirmed them in this step."""
    return cs.workspace_cases(workspace)


def saved_issues(workspace) -> list[RegionalIssue]:
    """The regional issues the team saved (the sample town's until it saves one)."""
    return load_issues(workspace)


def progress(workspace) -> StepProgress:
    values = dict(workspace.items())
    issues = values.get(ISSUES_KEY) or []
    groups = (values.get(cs.GROUPS_KEY) or {}).get("groups", [])
    detail = f"タグ {len(values.get(cs.TAGS_KEY) or {})}件・グループ {len(groups)}・地域課題 {len(issues)}"
    return step_progress(workspace, PREFIXES, bool(issues), detail)
