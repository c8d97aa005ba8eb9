"""The four steps a learner walks: 01 assessment → 02 cases → 03 actors → 04 pitch.

Each step is a package holding its domain functions, its charts, its ``model``
(a ``HasTraits`` without widgets that owns the step's state and store keys) and
its views. What a step confirms is handed on through its model's readers, never
by another step reading its keys. Every model module also offers:

- ``PREFIXES``: the store keys (prefixes) the step writes;
- ``progress(workspace) -> StepProgress``: what the dashboard, the export and
  the landing page say of the step.

The order, titles and minutes are the registry in :mod:`kit.pages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["STATUSES", "StepProgress", "step_progress"]

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
