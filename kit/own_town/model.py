"""Page 07's state, without widgets: the checklist of what was asked for and
received, and the data-request memo's form. Both are saved in the workspace,
except the user's name and contact, which only go into the memo."""

from __future__ import annotations

from datetime import date, datetime

import traitlets

from kit import datasets
from kit.own_town.domain import CHECK_STEPS, KIND_GUIDES, Memo

__all__ = ["CHECKLIST_KEY", "MEMO_KEY", "checklist", "tick", "OwnTownModel"]

CHECKLIST_KEY = "own_town/checklist"   # kind → {step: ticked}
MEMO_KEY = "own_town/memo"             # the memo's form, without name or contact (Memo.saved)


def checklist(workspace) -> dict[str, dict[str, bool]]:
    """The ticks saved in ``workspace``: kind → {step: ticked} for every kind and step."""
    saved = workspace.get(CHECKLIST_KEY) or {}
    return {kind: {step: bool((saved.get(kind) or {}).get(step)) for step in CHECK_STEPS} for kind in KIND_GUIDES}


def tick(workspace, kind: str, step: str, ticked: bool) -> dict[str, dict[str, bool]]:
    """Save one tick, in one transaction so two PCs of a team ticking at once keep
    both ticks; returns the checklist as saved."""
    if kind not in KIND_GUIDES or step not in CHECK_STEPS:
        raise ValueError(f"unknown checklist entry {kind!r}/{step!r}")

    def change(saved):
        saved = dict(saved or {})
        saved[kind] = {**(saved.get(kind) or {}), step: bool(ticked)}
        return saved

    workspace.update(CHECKLIST_KEY, change, default={})
    return checklist(workspace)


class OwnTownModel(traitlets.HasTraits):
    """The checklist (:attr:`checks`) and the memo's fields. Views link to the
    traits and call :meth:`tick` and :meth:`save_memo`, which write only what
    differs from the store, so showing what was loaded saves nothing."""

    checks = traitlets.Dict()                     # kind → {step: ticked}
    organisation = traitlets.Unicode()
    addressee = traitlets.Unicode()
    kinds = traitlets.Tuple()                     # the kinds the memo asks for
    deadline = traitlets.Instance(date, allow_none=True)
    name = traitlets.Unicode()                    # never saved
    contact = traitlets.Unicode()                 # never saved

    def __init__(self):
        super().__init__()
        self.workspace = None
        self._saved_memo: dict | None = None

    def load(self, workspace) -> None:
        self.workspace = workspace
        self._saved_memo = workspace.get(MEMO_KEY)
        memo = Memo.from_saved(self._saved_memo)
        with self.hold_trait_notifications():
            self.checks = checklist(workspace)
            self.organisation, self.addressee = memo.organisation, memo.addressee
            self.kinds, self.deadline = memo.kinds, memo.deadline

    def saved_at(self, key: str) -> datetime | None:
        return self.workspace.updated_at(key)

    def loaded(self, kind: str) -> bool:
        """Whether the workspace holds a file of ``kind`` of its own."""
        return datasets.is_uploaded(self.workspace, kind)

    def tick(self, kind: str, step: str, ticked: bool) -> bool:
        """Save a tick unless the checklist already says so; True when saved.
        Raises kit.store.StoreError."""
        if self.checks[kind][step] == ticked:
            return False
        self.checks = tick(self.workspace, kind, step, ticked)
        return True

    def memo(self, issued: date | None = None) -> Memo:
        return Memo(organisation=self.organisation.strip(), addressee=self.addressee.strip(), kinds=self.kinds,
                    deadline=self.deadline, name=self.name.strip(), contact=self.contact.strip(), issued=issued)

    def save_memo(self) -> bool:
        """Save the memo's form unless the store holds it already; True when saved.
        Raises kit.store.StoreError."""
        wanted = self.memo().saved()
        if wanted == Memo.from_saved(self._saved_memo).saved():
            return False
        self.workspace.put(MEMO_KEY, wanted)
        self._saved_memo = wanted
        return True
