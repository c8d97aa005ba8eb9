"""The four steps a learner walks: 01 assessment → 02 cases → 03 actors → 04 pitch.

Each step is a package holding its domain functions, its charts, its ``model``
(a ``HasTraits`` without widgets that owns the step's state and store keys) and
its views. What a step confirms is handed on through its model's readers, never
by another step reading its keys. Every model module also offers:

- ``PREFIXES``: the store keys (prefixes) the step writes;
- ``progress(workspace) -> StepProgress``: what the dashboard, the export and
  the landing page say of the step;
- ``gallery(workspace) -> GallerySection | None``: what the facilitator's gallery
  shows of a team's work in this step (masked), None when nothing;
- ``export_sheets(workspaces) -> dict[str, DataFrame]``: the step's sheets of the
  workshop export, one row per item of every team (masked, no contact columns).

The order, titles and minutes are the registry in :mod:`kit.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["STATUSES", "StepProgress", "step_progress", "GallerySection", "masked_text",
           "area_names"]

STATUSES: tuple[str, ...] = ("未着手", "作業中", "済")


@dataclass(frozen=True)
class StepProgress:
    status: str                  # one of STATUSES
    detail: str                  # what was done, in a few words
    last: datetime | None = None  # the step's latest write


def step_progress(workspace, prefixes: tuple[str, ...], done: bool, detail: str) -> StepProgress:
    """済 when the step's hand-off exists (``done``), 作業中 when any of its keys
    was written, 未着手 otherwise."""
    times = [t for t in (workspace.last_updated(prefix) for prefix in prefixes) if t]
    status = STATUSES[2] if done else STATUSES[1] if times else STATUSES[0]
    return StepProgress(status, detail, max(times, default=None))


@dataclass(frozen=True)
class GallerySection:
    """What a step shows of one team's work on the gallery, free text already masked."""

    heading: str                                 # above the lines ("" for none)
    lines: tuple[tuple[str, str], ...] = ()      # (lead in bold, text)
    empty: str = ""                              # said instead when there are no lines
    more: tuple[tuple[str, str], ...] = ()       # added when one team is shown alone
    title: bool = False                          # the heading is the work's title: larger


def masked_text(value) -> str:
    """Free text as a gallery or an export may show it: personal data masked
    (raises kit.masking.MaskingUnavailable when masking cannot run)."""
    from kit.masking import mask_text  # the masking engine: loaded when a page shows work

    return mask_text(value).text if isinstance(value, str) and value else ""


def area_names(workspace) -> dict[str, str]:
    """地区コード → 地区名 of the workspace's areas (the sample town's until it loads its own)."""
    from kit import datasets

    areas = datasets.for_workspace(workspace, "areas")
    return dict(zip(areas["地区コード"], areas["地区名"]))
