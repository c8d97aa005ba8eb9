"""Which town a workspace is about: the sample town みどり野市, or the user's own.

A workspace starts on the sample town. The user makes it about their own town by
choosing a municipality from the national data the kit ships (no file needed:
its areas and population come from the 2020 census and the IPSS projections), by
reading their own files, or both. From then on every page uses the own town's
data wherever it exists and says which files are still missing; nothing of the
sample town is mixed in. The user may practise on the sample town at any time
without losing the own town (``practice``).

The choice is one store entry, ``TOWN_KEY``, so every kernel of a team sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TOWN_KEY", "SAMPLE_NAME", "OWN_NAME", "OWN_KINDS", "Town", "current", "choose_municipality",
           "choose_sample", "set_practice", "has_own_files"]

TOWN_KEY = "town"
SAMPLE_NAME = "みどり野市"
# What an own town without a chosen municipality is called on screen.
OWN_NAME = "自分のまち"
# Kinds whose upload makes the workspace about the user's own town: its own area
# list. Other files read on the sample town replace the sample's table of that
# kind (a practice import, say); a file naming areas the sample town lacks brings
# its own area list (with the user's OK) and so makes the town own.
OWN_KINDS: tuple[str, ...] = ("areas",)


@dataclass(frozen=True)
class Town:
    """The town of a workspace. ``code`` is the 5-digit municipality code when the
    town was chosen from the national data; ``own`` says the workspace holds the
    user's own town (chosen or uploaded); ``practice`` that the user is practising
    on the sample town meanwhile."""

    own: bool = False
    code: str = ""
    name: str = SAMPLE_NAME
    prefecture: str = ""
    use_wards: bool = False
    practice: bool = False

    @property
    def sample(self) -> bool:
        """True when the pages show the sample town (never chosen, or practising)."""
        return not self.own or self.practice

    @property
    def own_name(self) -> str:
        return self.name if self.own else OWN_NAME

    @property
    def shown_name(self) -> str:
        return SAMPLE_NAME if self.sample else self.name

    @property
    def label(self) -> str:
        """How the town is named in a page's banner."""
        if self.practice:
            return f"見本のまち「{SAMPLE_NAME}」で練習中（自分のまち: {self.own_name}）"
        if not self.own:
            return f"見本のまち「{SAMPLE_NAME}」"
        return f"{self.prefecture} {self.name}".strip()


def has_own_files(workspace) -> bool:
    from kit.datasets import (
        is_uploaded,  # datasets reads the town: import here, not at module level
    )

    return any(is_uploaded(workspace, kind) for kind in OWN_KINDS)


def current(workspace) -> Town:
    """The workspace's town as saved; a workspace holding its own area list or
    population is about its own town even if no municipality was chosen."""
    saved = workspace.get(TOWN_KEY) or {}
    fields = {key: saved[key] for key in ("code", "name", "prefecture", "use_wards", "practice") if key in saved}
    if fields.get("code"):
        return Town(own=True, **fields)
    if has_own_files(workspace):
        return Town(own=True, name=saved.get("name") or OWN_NAME, practice=bool(saved.get("practice")))
    return Town()


def choose_municipality(workspace, code: str, use_wards: bool = False) -> Town:
    """Make the workspace about municipality ``code`` (raises KeyError for an unknown code)."""
    from kit import reference

    row = reference.municipalities().set_index("市区町村コード").loc[code]
    record = {"code": code, "name": row["市区町村名"], "prefecture": row["都道府県"],
              "use_wards": bool(use_wards and len(reference.wards_of(code))), "practice": False}
    workspace.put(TOWN_KEY, record)
    return current(workspace)


def choose_sample(workspace) -> Town:
    """Forget the chosen municipality. Uploaded files stay (and keep the town own)."""
    workspace.delete(TOWN_KEY)
    return current(workspace)


def set_practice(workspace, on: bool) -> Town:
    """Practise on the sample town (``on``) or go back to the own town; the own
    town's choice and files are kept either way."""
    workspace.update(TOWN_KEY, lambda saved: {**(saved or {}), "practice": bool(on)}, {})
    return current(workspace)
