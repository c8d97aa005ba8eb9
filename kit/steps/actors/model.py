"""The actors step's state: the team's list of actors and everything it decides
about it (filters, page, the record in the form, pairs that are not duplicates,
what it can offer, the partners it chose per issue and the issue in view), its
store keys, and what it hands on (:func:`chosen_partners`, :func:`offers`).

:class:`ActorsModel` saves each change through the workspace at once and raises
or returns what happened; masking what was typed is the views' part (through
kit/ui/saving.py), before they hand text to the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

import pandas as pd
import traitlets

from kit import datasets, masking
from kit.io.normalize import normalize_text
from kit.steps import GallerySection, StepProgress, masked_text, step_progress
from kit.steps.actors import domain as act
from kit.steps.actors.precedents import closest_for_matches
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import saved_issues

__all__ = ["DISMISSED_KEY", "OFFERS_KEY", "DRAFT_KEY", "BACKUP_KEY", "TABLE_KEY", "CHOSEN_KEY", "SETTINGS_KEY",
           "PREFIXES", "PAGE_SIZE", "PARTNERS_MAX", "ChosenPartner", "Saved", "PartnerRefused", "ActorsModel",
           "offers", "chosen_partners", "progress", "gallery", "export_sheets"]

DISMISSED_KEY = "actors/not_duplicates"   # pairs the team said are not duplicates
OFFERS_KEY = "actors/offers"              # {課題ID: what the team can offer a partner}
DRAFT_KEY = "actors/draft"                # the form being typed
BACKUP_KEY = "actors/before_import"       # the list before the last import
CHOSEN_KEY = "actors/chosen"              # [{issue_id, actor_id, name, reason}]: the exercise's answer
SETTINGS_KEY = "actors/settings"          # {"issue": the issue in view}
TABLE_KEY = datasets.table_key("actors")  # the team's own list (the sample town's until edited)
PREFIXES: tuple[str, ...] = ("actors/", TABLE_KEY)

PAGE_SIZE = 20      # rows of the registry table per page
PARTNERS_MAX = 3    # the exercise asks for three partners per issue
_FILTERS = ("type_filter", "category_filter", "area_filter", "status_filter", "query")
_NUMBERS = ("緯度", "経度")


@dataclass(frozen=True)
class ChosenPartner:
    """An actor the team chose for a regional issue, and why (masked as stored)."""
    issue_id: str
    actor_id: str
    name: str
    reason: str


class PartnerRefused(ValueError):
    """A partner that cannot be chosen; the message (Japanese) is for the page."""


@dataclass(frozen=True)
class Saved:
    """What :meth:`ActorsModel.save_record` did: the record's 主体ID, or None with
    ``theirs``, the record another device saved meanwhile (nothing was written)."""
    actor_id: str | None
    theirs: dict | None = None


class _Changed(Exception):
    def __init__(self, current: dict):
        super().__init__("changed meanwhile")
        self.current = current


def offers(workspace) -> dict[str, str]:
    """What the team wrote it can offer, per regional issue (blank ones left out)."""
    saved = workspace.get(OFFERS_KEY) or {}
    return {issue: text for issue, text in saved.items() if isinstance(text, str) and text.strip()}


def chosen_partners(workspace) -> list[ChosenPartner]:
    """The partners the team chose, per issue in the order it chose them, each
    with its reason (the answer of 03's exercise; 04 and the gallery read it)."""
    fields = ChosenPartner.__dataclass_fields__
    return [ChosenPartner(**{name: str(entry.get(name) or "") for name in fields})
            for entry in workspace.get(CHOSEN_KEY) or []
            if isinstance(entry, dict) and entry.get("issue_id") and entry.get("actor_id")]


def progress(workspace) -> StepProgress:
    written = offers(workspace)
    rows = len(table) if (table := workspace.get_table(TABLE_KEY)) is not None else None
    own = "見本のリスト" if rows is None else f"リスト {rows}件"
    return step_progress(workspace, PREFIXES, bool(written), f"{own}・提供できること {len(written)}件")


def _number(value: object) -> float | None:
    text = normalize_text(act.text(value))
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _form_text(column: str, value: object) -> object:
    """A stored value as the form holds it: tuples for the check boxes, text
    otherwise (coordinates as typed, without trailing zeros)."""
    if column in act.MULTI_COLUMNS:
        return act.terms(value)
    if column in _NUMBERS and isinstance(value, (int, float)) and not pd.isna(value):
        return f"{float(value):g}"
    return act.text(value)


def _record_text(record: dict) -> dict[str, str]:
    """A record's typed fields as text, to tell whether two versions of it differ."""
    return {column: "・".join(act.terms(record.get(column))) if column in act.MULTI_COLUMNS
            else act.text(record.get(column)) for column in act.COLUMNS if column != "更新日"}


class ActorsModel(traitlets.HasTraits):
    """The workspace's list of actors and the team's decisions about it.

    A method that changes the list saves it at once and bumps ``revision``; the
    views observe the traits. ``draft`` is what the form shows, ``typed`` counts
    the user's edits of it (each to be kept as a draft) and ``loads`` the times it
    was filled from the store."""

    revision = traitlets.Int(0)
    type_filter = traitlets.Unicode("")
    category_filter = traitlets.Unicode("")
    area_filter = traitlets.Unicode("")
    status_filter = traitlets.Unicode("")
    query = traitlets.Unicode("")
    page = traitlets.Int(0)
    editing = traitlets.Unicode("")      # 主体ID in the form; "" for a new actor
    draft = traitlets.Dict()
    typed = traitlets.Int(0)
    loads = traitlets.Int(0)
    issue = traitlets.Unicode("")        # the regional issue in view on the matching tab
    chosen = traitlets.List()            # ChosenPartner of every issue
    offers = traitlets.Dict()
    dismissed = traitlets.List()

    def __init__(self, workspace, actors: pd.DataFrame, areas: pd.DataFrame, issues: Sequence[RegionalIssue],
                 precedents: pd.DataFrame | None = None):
        super().__init__()
        self.workspace = workspace
        self.actors = act.normalise(actors)
        self.areas = areas
        self.area_codes = areas["地区コード"].tolist()
        self.area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        self.issues = list(issues)
        self.precedents = precedents
        self.base: dict | None = None     # the record as the form loaded it
        self._theirs: dict | None = None  # another device's version, shown before overwriting it
        self._cache: dict[str, tuple[object, object]] = {}
        self._written = workspace.updated_at(TABLE_KEY)
        self.dismissed = workspace.get(DISMISSED_KEY, []) or []
        self.offers = workspace.get(OFFERS_KEY, {}) or {}
        self.chosen = chosen_partners(workspace)
        settings = workspace.get(SETTINGS_KEY) or {}
        self._settings = settings if isinstance(settings, dict) else {}
        ids = [issue.id for issue in self.issues]
        self.issue = self._settings.get("issue") if self._settings.get("issue") in ids else (ids or [""])[0]

    @classmethod
    def open(cls, workspace, precedents: pd.DataFrame | None = None) -> "ActorsModel":
        """The model of ``workspace``: its list (the sample town's until it has one),
        its areas and the regional issues 02 saved."""
        return cls(workspace, datasets.for_workspace(workspace, "actors"), datasets.for_workspace(workspace, "areas"),
                   saved_issues(workspace), precedents)

    def _cached(self, name: str, key: object, compute: Callable[[], object]):
        if name not in self._cache or self._cache[name][0] != key:
            self._cache[name] = (key, compute())
        return self._cache[name][1]

    def _commit(self, change: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
        """Store ``change`` applied to the list as stored now (the sample town's while
        none is stored), in one transaction: another device's additions stay."""
        self.actors = act.normalise(self.workspace.update_table(
            TABLE_KEY, lambda stored: change(act.normalise(stored if stored is not None else datasets.sample("actors")))))
        self._written = self.workspace.updated_at(TABLE_KEY)
        self.revision += 1

    def reload(self) -> bool:
        """Read what another device saved since; True (``revision`` bumped) when
        the list or the decisions about it differ from what this page shows."""
        written = self.workspace.updated_at(TABLE_KEY)
        dismissed = self.workspace.get(DISMISSED_KEY, []) or []
        offered = self.workspace.get(OFFERS_KEY, {}) or {}
        chosen = chosen_partners(self.workspace)
        if (written, dismissed, offered, chosen) == (self._written, self.dismissed, self.offers, self.chosen):
            return False
        if written != self._written:
            self.actors = act.normalise(datasets.for_workspace(self.workspace, "actors"))
            self._written = written
        with self.hold_trait_notifications():
            self.dismissed, self.offers, self.chosen = dismissed, offered, chosen
            self.revision += 1
        return True

    @traitlets.observe(*_FILTERS, "revision")
    def _first_page(self, _change) -> None:
        self.page = 0

    # -- the list as filtered ------------------------------------------------------------
    def filtered(self) -> pd.DataFrame:
        """The list as the filters show it (the registry, the map and the counts)."""
        def chosen(value: str) -> tuple[str, ...]:
            return (value,) if value else ()

        key = (self.revision, *(getattr(self, name) for name in _FILTERS))
        return self._cached("filtered", key, lambda: act.filter_actors(
            self.actors, types=chosen(self.type_filter), categories=chosen(self.category_filter),
            areas=chosen(self.area_filter), statuses=chosen(self.status_filter), query=self.query))

    def last_page(self) -> int:
        return max((len(self.filtered()) - 1) // PAGE_SIZE, 0)

    def shown_page(self) -> tuple[pd.DataFrame, int, int]:
        """The rows of the current page, the position of its first row and the total."""
        shown = self.filtered()
        first = min(max(self.page, 0), self.last_page()) * PAGE_SIZE
        return shown.iloc[first:first + PAGE_SIZE], first, len(shown)

    def turn(self, step: int) -> None:
        self.page = min(max(self.page + step, 0), self.last_page())

    def record(self, actor_id: str) -> dict | None:
        rows = self.actors[self.actors["主体ID"] == actor_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def own_terms(self, column: str) -> tuple[str, ...]:
        """The terms of ``column`` the list uses outside the kit's vocabulary (a
        team's own 生活課題), by name."""
        allowed = set(act.CHOICES.get(column, ()))
        return tuple(sorted({t for cell in self.actors[column] for t in cell if t not in allowed}))

    # -- the form ----------------------------------------------------------------------
    def type(self, fields: dict) -> None:
        """What the user typed into the form (column → value)."""
        if any(self.draft.get(column) != value for column, value in fields.items()):
            self.draft = {**self.draft, **fields}
            self.typed += 1

    def show_record(self, actor_id: str | None) -> None:
        """Fill the form with a saved actor, or empty it for a new one."""
        record = self.record(actor_id) if actor_id else None
        self._load(record or act.empty_record(), record)

    def _load(self, record: dict, base: dict | None) -> None:
        self.base, self._theirs = base, None
        with self.hold_trait_notifications():
            self.editing = act.text(record.get("主体ID"))
            self.draft = {column: _form_text(column, record.get(column)) for column in act.COLUMNS
                          if column not in ("主体ID", "更新日")}
        self.loads += 1

    def restore_draft(self) -> bool:
        """Fill the form with the draft kept in the workspace; False when none is."""
        draft = self.workspace.get(DRAFT_KEY)
        if not draft:
            self.show_record(None)
            return False
        self._load(draft, self.record(act.text(draft.get("主体ID"))))
        return True

    def form_record(self) -> dict:
        """What the form holds, as a record of the list."""
        record = {"主体ID": self.editing, **self.draft}
        for column in _NUMBERS:
            record[column] = _number(record.get(column))
        return record

    def problems(self) -> list[str]:
        """Why the form cannot be saved, in Japanese; empty when it can."""
        bad = [c for c in _NUMBERS if act.text(self.draft.get(c)).strip() and _number(self.draft.get(c)) is None]
        if bad:
            return [f"{'・'.join(bad)}は数字で入力してください（例: 36.1058）。"]
        return act.validate(self.form_record(), self.area_codes)

    def save_draft(self, masked: dict) -> None:
        """Keep the form's record (its free text masked by the view) until it is saved."""
        self.workspace.put(DRAFT_KEY, {k: (list(v) if isinstance(v, tuple) else v) for k, v in masked.items()})

    def clear_draft(self) -> None:
        self.workspace.delete(DRAFT_KEY)

    def save_record(self, masked: dict, day: date, force: bool = False) -> Saved:
        """Save the form's record (its free text masked by the view) into the list.
        When the stored record differs from the one the form loaded, another device
        changed it meanwhile: nothing is written and ``theirs`` says what it holds.
        ``force`` overwrites that version, once the page showed it."""
        base = self._theirs if force and self._theirs is not None else self.base
        saved: dict[str, str] = {}

        def change(actors: pd.DataFrame) -> pd.DataFrame:
            if masked["主体ID"] and base is not None:
                rows = actors[actors["主体ID"] == masked["主体ID"]]
                if len(rows) and _record_text(rows.iloc[0].to_dict()) != _record_text(base):
                    raise _Changed(rows.iloc[0].to_dict())
            actors, saved["id"] = act.upsert(actors, masked, day)
            return actors

        try:
            self._commit(change)
        except _Changed as changed:
            self._theirs = changed.current
            return Saved(None, changed.current)
        self._theirs = None
        return Saved(saved["id"])

    def delete(self, actor_id: str) -> None:
        self._commit(lambda actors: act.delete(actors, actor_id))

    # -- import and duplicates ---------------------------------------------------------------
    def import_table(self, incoming: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame]:
        """Add a loaded file, its free text masked, to the list (keeping the list as
        it was, to undo); returns the renamed IDs and what was masked."""
        masked, report = masking.mask_table(incoming, list(act.FREE_TEXT_COLUMNS), id_column="主体ID")
        self.workspace.put_table(BACKUP_KEY, self.actors)
        renamed: dict[str, str] = {}

        def change(actors: pd.DataFrame) -> pd.DataFrame:
            added, found = act.add_imported(actors, masked)
            renamed.update(found)
            return added

        self._commit(change)
        return renamed, report

    def can_undo_import(self) -> bool:
        return self.workspace.get_table(BACKUP_KEY) is not None

    def undo_import(self) -> None:
        before = self.workspace.get_table(BACKUP_KEY)
        if before is not None:
            self.workspace.delete(BACKUP_KEY)
            self._commit(lambda _actors: act.normalise(before))

    def duplicates(self) -> pd.DataFrame:
        return self._cached("duplicates", (self.revision, len(self.dismissed)),
                            lambda: act.find_duplicates(self.actors, self.dismissed))

    def merge(self, keep_id: str, drop_id: str, choices: dict[str, str], day: date) -> None:
        def change(actors: pd.DataFrame) -> pd.DataFrame:
            merged = act.merge_pair(actors, keep_id, drop_id, choices)
            merged.loc[merged["主体ID"] == keep_id, "更新日"] = pd.Timestamp(day)
            return merged

        self._commit(change)

    def dismiss(self, first: str, second: str) -> None:
        dismissed = self.workspace.update(DISMISSED_KEY, lambda pairs: [*(pairs or []), [first, second]])
        with self.hold_trait_notifications():
            self.dismissed = dismissed
            self.revision += 1

    # -- matching ----------------------------------------------------------------------
    def matches(self) -> pd.DataFrame:
        """Candidates of every issue, computed once per revision of the list."""
        return self._cached("matches", self.revision, lambda: act.match_issues(self.issues, self.actors,
                                                                                self.area_names))

    def gaps(self) -> pd.DataFrame:
        return act.issue_gaps(self.issues, self.matches())

    def current_issue(self) -> RegionalIssue | None:
        return next((i for i in self.issues if i.id == self.issue), None)

    def candidates(self, issue_id: str) -> pd.DataFrame:
        matches = self.matches()
        return matches[matches["課題ID"] == issue_id]

    def save_settings(self) -> None:
        """Keep the issue in view, so the page shows it again after a reload."""
        if self._settings.get("issue") != self.issue:
            self._settings = self.workspace.update(
                SETTINGS_KEY, lambda stored: {**(stored if isinstance(stored, dict) else {}), "issue": self.issue})

    def partners(self, issue_id: str) -> list[ChosenPartner]:
        return [p for p in self.chosen if p.issue_id == issue_id]

    def choose(self, issue_id: str, actor_id: str, reason: str) -> ChosenPartner:
        """Record ``actor_id`` as a partner for ``issue_id`` with ``reason`` (masked
        by the view); choosing it again replaces its reason. At most
        :data:`PARTNERS_MAX` per issue: PartnerRefused says so."""
        record = self.record(actor_id)
        if record is None:
            raise PartnerRefused("その主体はリストにありません。")
        if not reason.strip():
            raise PartnerRefused("選んだ理由を書いてください。相手の困りごとやできることが、課題とどう重なるかを一言で。")
        partner = ChosenPartner(issue_id, actor_id, act.text(record["名称"]), reason.strip())

        def change(stored) -> list[dict]:
            entries = [e for e in (stored if isinstance(stored, list) else []) if isinstance(e, dict)]
            same = [i for i, e in enumerate(entries) if (e.get("issue_id"), e.get("actor_id")) == (issue_id, actor_id)]
            if same:
                entries[same[0]] = asdict(partner)
            elif sum(e.get("issue_id") == issue_id for e in entries) >= PARTNERS_MAX:
                raise PartnerRefused(f"この課題ではもう{PARTNERS_MAX}者を選んでいます。入れ替えるときは、先に1者を外してください。")
            else:
                entries.append(asdict(partner))
            return entries

        self.workspace.update(CHOSEN_KEY, change)
        self.chosen = chosen_partners(self.workspace)
        return partner

    def unchoose(self, issue_id: str, actor_id: str) -> None:
        self.workspace.update(CHOSEN_KEY, lambda stored: [
            e for e in (stored if isinstance(stored, list) else [])
            if isinstance(e, dict) and (e.get("issue_id"), e.get("actor_id")) != (issue_id, actor_id)])
        self.chosen = chosen_partners(self.workspace)

    def unchosen_issues(self) -> list[str]:
        """The issues (IDs) for which the team has chosen no partner yet."""
        chosen = {p.issue_id for p in self.chosen}
        return [issue.id for issue in self.issues if issue.id not in chosen]

    def matching_table(self, top: int, include_contacts: bool) -> tuple[pd.DataFrame, dict[str, int]]:
        """The matching list to hand out: per issue the chosen partners first, with
        their reasons, then the ``top`` best-ranked other candidates (0: none)."""
        matches = self.matches()
        chosen = {(p.issue_id, p.actor_id) for p in self.chosen}
        picked = pd.Series([(i, a) in chosen for i, a in zip(matches["課題ID"], matches["主体ID"])],
                           index=matches.index, dtype=bool)
        others = matches[~picked].sort_values("順位").groupby("課題ID").head(top)
        listed = pd.concat([matches[picked], others])
        names: dict[tuple[str, str], str] = {}
        if self.precedents is not None:
            close = closest_for_matches(self.precedents, listed, self.actors, self.issues, k=1)
            names = {pair: "、".join(table["事例名"] + "（" + table["地域"] + "）") for pair, table in close.items()}
        return act.matching_list(self.issues, matches, self.actors, offers=self.offers, top=top,
                                 chosen=self.chosen, area_names=self.area_names, precedent_names=names,
                                 include_contacts=include_contacts)


def gallery(workspace):
    """The partners the team chose for its issues, and why (the reasons masked)."""
    return GallerySection("選んだ連携先", tuple((f"{p.issue_id}: {p.name}", masked_text(p.reason))
                                           for p in chosen_partners(workspace)),
                          empty="連携先はまだ選ばれていません")


def export_sheets(workspaces) -> dict:
    """提供できること, 主体リスト (without contact columns) and 選んだ連携先 of every team."""
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
