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


def _team_issues(workspace) -> list[RegionalIssue]:
    """The issues the team itself saved (none until it saves one: no sample stands in)."""
    return saved_issues(workspace) if workspace.get(ISSUES_KEY) else []


def gallery(workspace):
    """The regional issues the team found, masked."""
    from kit.steps import GallerySection, masked_text

    return GallerySection("見つけた地域課題", tuple(("", masked_text(issue.statement))
                                               for issue in _team_issues(workspace)),
                          empty="地域課題はまだ保存されていません")


def export_sheets(workspaces) -> dict[str, pd.DataFrame]:
    """地域課題, 事例のタグ and グループ of every team (free text masked)."""
    from kit.steps import area_names, masked_text

    issues, tags, groups = [], [], []
    for ws in workspaces:
        names = area_names(ws)
        for issue in _team_issues(ws):
            issues.append({"チーム": ws.team, "課題ID": issue.id, "地域課題": masked_text(issue.statement),
                           "生活課題": "・".join(issue.life_issues),
                           "地区": "・".join(names.get(a, a) for a in issue.areas) or "市内全域",
                           "緊急度": issue.urgency, "範囲": issue.scope, "事例ID": "・".join(issue.case_ids),
                           "根拠": masked_text(issue.evidence)})
        for case_id, chosen in sorted((ws.get(cs.TAGS_KEY) or {}).items()):
            tags.append({"チーム": ws.team, "事例ID": case_id, "生活課題": "・".join(chosen)})
        for group in (ws.get(cs.GROUPS_KEY) or {}).get("groups", []):
            groups.append({"チーム": ws.team, "グループ": masked_text(group.get("name", "")),
                           "カード数": len(group.get("cards", [])), "カード": "、".join(group.get("cards", []))})
    return {
        "地域課題": pd.DataFrame(issues, columns=["チーム", "課題ID", "地域課題", "生活課題", "地区", "緊急度", "範囲",
                                             "事例ID", "根拠"]),
        "事例のタグ": pd.DataFrame(tags, columns=["チーム", "事例ID", "生活課題"]),
        "グループ": pd.DataFrame(groups, columns=["チーム", "グループ", "カード数", "カード"]),
    }
