"""The fifth step's model: one store key, and what the dashboard, the gallery and
the workshop export read of it."""

from __future__ import annotations

import pandas as pd

from kit.steps import GallerySection, StepProgress, masked_text, step_progress

NOTES_KEY = "fifth/notes"    # [what the team will do next, …]
PREFIXES = ("fifth/",)


def _notes(workspace) -> list[str]:
    return [note for note in workspace.get(NOTES_KEY) or [] if isinstance(note, str)]


def progress(workspace) -> StepProgress:
    notes = _notes(workspace)
    return step_progress(workspace, PREFIXES, len(notes) >= 2, f"ふりかえり {len(notes)}件")


def gallery(workspace) -> GallerySection:
    return GallerySection("次にすること", tuple(("", masked_text(note)) for note in _notes(workspace)),
                          empty="まだ書かれていません")


def export_sheets(workspaces) -> dict[str, pd.DataFrame]:
    rows = [{"チーム": ws.team, "次にすること": masked_text(note)} for ws in workspaces for note in _notes(ws)]
    return {"ふりかえり": pd.DataFrame(rows, columns=["チーム", "次にすること"])}
