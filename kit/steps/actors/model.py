"""The actors step's state: its store keys, and what it hands on (what the team can
offer each partner, its own actor list)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from kit import datasets
from kit.steps import StepProgress, step_progress

__all__ = ["DISMISSED_KEY", "OFFERS_KEY", "DRAFT_KEY", "BACKUP_KEY", "TABLE_KEY", "PREFIXES", "offers",
           "progress"]

DISMISSED_KEY = "actors/not_duplicates"   # pairs the team said are not duplicates
OFFERS_KEY = "actors/offers"              # {課題ID: what the team can offer a partner}
DRAFT_KEY = "actors/draft"                # the form being typed
BACKUP_KEY = "actors/before_import"       # the list before the last import
TABLE_KEY = datasets.table_key("actors")  # the team's own list (the sample town's until edited)
PREFIXES: tuple[str, ...] = ("actors/", TABLE_KEY)


def offers(workspace) -> dict[str, str]:
    """What the team wrote it can offer, per regional issue (blank ones left out)."""
    saved = workspace.get(OFFERS_KEY) or {}
    return {issue: text for issue, text in saved.items() if isinstance(text, str) and text.strip()}


def progress(workspace) -> StepProgress:
    written = offers(workspace)
    rows = len(table) if (table := workspace.get_table(TABLE_KEY)) is not None else None
    own = "見本のリスト" if rows is None else f"リスト {rows}件"
    return step_progress(workspace, PREFIXES, bool(written), f"{own}・提供できること {len(written)}件")


CHOSEN_KEY = "actors/chosen"   # [{issue_id, actor_id, name, reason}]: the partners the team chose


@dataclass(frozen=True)
class ChosenPartner:
    """A partner the team chose for a regional issue, and why (03's answer)."""

    issue_id: str
    actor_id: str
    name: str
    reason: str


def chosen_partners(workspace) -> list[ChosenPartner]:
    """The partners the team chose, in the order it chose them."""
    names = [field.name for field in fields(ChosenPartner)]
    return [ChosenPartner(*(str(item.get(name) or "") for name in names))
            for item in workspace.get(CHOSEN_KEY) or [] if isinstance(item, dict)]


def gallery(workspace):
    """The partners the team chose for its issues, and why (the reasons masked)."""
    from kit.steps import GallerySection, masked_text

    return GallerySection("選んだ連携先", tuple((f"{p.issue_id}: {p.name}", masked_text(p.reason))
                                           for p in chosen_partners(workspace)),
                          empty="連携先はまだ選ばれていません")


def export_sheets(workspaces) -> dict:
    """提供できること, 主体リスト (without contact columns) and 選んだ連携先 of every team."""
    import pandas as pd

    from kit.steps import masked_text
    from kit.steps.actors import domain as act

    offered, lists, chosen = [], [], []
    for ws in workspaces:
        offered += [{"チーム": ws.team, "課題ID": issue_id, "私たちが提供できること": masked_text(text)}
                    for issue_id, text in sorted(offers(ws).items())]
        own = ws.get_table(TABLE_KEY)
        if own is not None:
            table, _hidden = act.export_table(act.normalise(own))
            lists.append(table.assign(チーム=ws.team)[["チーム", *table.columns]])
        chosen += [{"チーム": ws.team, "課題ID": p.issue_id, "主体ID": p.actor_id, "名称": p.name,
                    "理由": masked_text(p.reason)} for p in chosen_partners(ws)]
    kept = [c for c in act.COLUMNS if c not in act.CONTACT_COLUMNS + act.LOCATION_COLUMNS]
    return {
        "提供できること": pd.DataFrame(offered, columns=["チーム", "課題ID", "私たちが提供できること"]),
        "主体リスト": pd.concat(lists, ignore_index=True) if lists else pd.DataFrame(columns=["チーム", *kept]),
        "選んだ連携先": pd.DataFrame(chosen, columns=["チーム", "課題ID", "主体ID", "名称", "理由"]),
    }
