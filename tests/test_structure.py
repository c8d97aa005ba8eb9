"""The shape of the code and of the step notebooks, as a newcomer reads them: one
package per step with its model, no widgets below the views, small views, and one
skeleton for every step notebook. The pages that are not steps (00 はじめに,
07 明日から自分のまちで, 09 the facilitator's dashboard) follow the same rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from kit.pages import STEPS
from kit.paths import NOTEBOOKS

KIT = Path(__file__).resolve().parent.parent / "kit"
STEP_PACKAGES = [KIT / "steps" / page.package.rsplit(".", 1)[1] for page in STEPS]
PAGE_PACKAGES = [KIT / "start", KIT / "own_town", KIT / "facilitator"]
PACKAGES = STEP_PACKAGES + PAGE_PACKAGES
# Modules that build screens; everything else (models, domain functions, charts,
# exports) must run without a widget library.
VIEW_NAMES = {"screen.py", "views"}
VIEW_MAX_LINES = 400
# The headings every step notebook has, in this order (level 2).
SKELETON = ("できるようになること", "前提", "所要時間", "課題", "画面の見方", "まとめ", "次は")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _is_view(path: Path, package: Path) -> bool:
    parts = path.relative_to(package).parts
    return parts[0] in VIEW_NAMES or path.name in VIEW_NAMES


def test_the_tree_shows_the_steps_each_with_its_model():
    assert [path.name for path in sorted((KIT / "steps").iterdir()) if (path / "__init__.py").exists()] \
        == sorted(path.name for path in STEP_PACKAGES)
    for package in PACKAGES:
        assert (package / "model.py").is_file(), package.name


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_models_and_domain_modules_never_import_widgets(package):
    for path in package.rglob("*.py"):
        if _is_view(path, package):
            continue
        widgets = {name for name in _imports(path) if name.split(".")[0] == "ipywidgets" or name.startswith("kit.ui")}
        assert not widgets, f"{path.relative_to(KIT)} imports {widgets}"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_each_model_is_traits_without_widgets(package):
    source = (package / "model.py").read_text(encoding="utf-8")
    assert "HasTraits" in source, f"{package.name}/model.py holds no HasTraits model"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_views_are_small(package):
    for path in package.rglob("*.py"):
        if _is_view(path, package):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= VIEW_MAX_LINES, f"{path.relative_to(KIT)}: {lines} lines"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_store_keys_are_defined_in_the_model(package):
    """A store key (``"cases/tags"``) is a string constant of the step's model only."""
    key = re.compile(r'^[A-Z_]*(KEY|PREFIX)\s*=\s*["\']', re.M)
    for path in package.rglob("*.py"):
        if path.name != "model.py":
            assert not key.search(path.read_text(encoding="utf-8")), f"{path.relative_to(KIT)} defines a store key"


@pytest.mark.parametrize("page", STEPS, ids=lambda p: p.file)
def test_every_step_notebook_has_the_same_skeleton(page):
    cells = nbformat.read(NOTEBOOKS / page.file, 4).cells
    headings = [line[3:].strip() for cell in cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert [h for h in headings if h in SKELETON] == list(SKELETON), page.file
    title = next(line for line in cells[0].source.splitlines() if line.startswith("# "))
    assert page.title in title, page.file
    assert f"約{page.minutes}分" in "".join(cell.source for cell in cells if cell.cell_type == "markdown"), page.file
