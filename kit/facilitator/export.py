"""Everything the teams of a workshop produced, for the facilitator to keep after
the session: one workbook with a sheet per kind of work, and a zip of each
team's pitch as slides and one-page summary.

Free text is masked (kit.masking) and actor lists leave without contact columns,
as in each page's own export: a workbook mailed round after a training must not
carry a resident's name or an actor's phone number by accident.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pandas as pd

from kit import pages
from kit.export import export_filename, to_xlsx
from kit.facilitator.progress import progress_table, team_progress
from kit.start import model as start
from kit.steps.pitch.domain import load_pitch, masked
from kit.steps.pitch.model import started
from kit.workshop import Workshop

__all__ = ["workshop_sheets", "workshop_xlsx", "pitch_files"]


def workshop_sheets(store, workshop: Workshop) -> dict[str, pd.DataFrame]:
    """Sheet name → table, over every team of ``workshop``: the progress, the
    landing page's sheets, then each step's (kit.pages.STEPS, in order)."""
    teams = workshop.workspaces(store)
    sheets = {"進み具合": progress_table([team_progress(ws, ws.team, workshop.joined(ws.team)) for ws in teams]),
              **start.export_sheets(teams)}
    for page in pages.STEPS:
        sheets.update(page.model.export_sheets(teams))
    return sheets


def workshop_xlsx(store, workshop: Workshop) -> bytes:
    return to_xlsx(workshop_sheets(store, workshop))


def pitch_files(store, workshop: Workshop, day: date) -> tuple[bytes, list[str]]:
    """A zip with each team's pitch as .pptx and printable .html (masked), and the
    names of the teams it holds. Teams that have not started a pitch are left out."""
    from kit.steps.pitch.export import (  # python-pptx: import when used
        chart_images,
        to_html,
        to_pptx,
    )

    buffer, teams = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ws in workshop.workspaces(store):
            if not started(ws):
                continue
            pitch = replace(masked(load_pitch(ws))[0], team=ws.team)
            images = chart_images(pitch)
            archive.writestr(export_filename(f"提案_{ws.team}", "pptx", day), to_pptx(pitch, images, day))
            archive.writestr(export_filename(f"提案1枚まとめ_{ws.team}", "html", day),
                             to_html(pitch, images, day).encode("utf-8"))
            teams.append(ws.team)
    return buffer.getvalue(), teams
