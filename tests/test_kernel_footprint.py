"""A page's kernel holds only what its visitors need: in a room of 40 every MiB a
kernel carries counts forty times, plus once more for each preheated kernel
waiting in a pool (figures: ``bench/pages.py``). Each page is built as its
preheated kernel builds it, in a fresh process, and the libraries it loaded are
read from ``sys.modules``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("altair", "vl_convert", "openpyxl", "docx", "spacy")
PROBE = """
import json, sys
{build}
def loaded(name):  # kit leaves a stand-in for a deferred module until it is used
    return name in sys.modules and type(sys.modules[name]).__name__ != "_Deferred"
print(json.dumps({{name: loaded(name) for name in {names!r}}}))
"""


@pytest.fixture
def env(tmp_path):
    # As under `python -m kit serve`: kernels mask through the server's worker (here
    # none answers, and the pages must still build without loading the model).
    return dict(os.environ, KIT_STORE=str(tmp_path / "store.sqlite"),
                KIT_CHART_CACHE=str(tmp_path / "charts"),
                KIT_MASKING_WORKER=f"unix:{tmp_path / 'absent.sock'}", KIT_MASKING_TOKEN="t")


def loaded(build: str, env: dict[str, str]) -> dict[str, bool]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(build=build, names=HEAVY)],
                            env=env, capture_output=True, text=True, check=True, timeout=300)
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("build", [
    "from kit.start.screen import StartScreen; StartScreen()",
    "from kit.steps.actors.screen import ActorsScreen; ActorsScreen()",
    "from kit.own_town.screen import OwnTownScreen; OwnTownScreen().open('1班')",
])
def test_pages_without_charts_on_show_load_no_chart_or_excel_library(build, env):
    assert loaded(build, env) == dict.fromkeys(HEAVY, False)


@pytest.mark.parametrize("build", [
    "from kit.steps.cases.screen import CasesScreen; CasesScreen()",
    "from kit.steps.pitch.screen import PitchScreen; PitchScreen()",
])
def test_pages_that_mask_text_leave_the_language_model_to_the_worker(build, env):
    assert loaded(build, env)["spacy"] is False


# A visitor opens the page, then tries each risk rule set on the tabs that use it.
SWITCH_RULE_SETS = """
from kit.steps.assessment.screen import AssessmentScreen
screen = AssessmentScreen().open("1班")
for tab in ("ニーズ調査のリスク", "地域資源とニーズ", "地図"):
    screen.show_tab(tab)
    for rules in [*screen.model.usable_rule_sets(), *screen.model.usable_rule_sets()]:
        screen.model.rule_set = rules.key
"""


def test_assessment_kernels_show_the_prewarmed_charts_without_the_chart_engine(env, tmp_path):
    subprocess.run([sys.executable, "-m", "kit.prewarm"], env=env, check=True, timeout=600,
                   capture_output=True)
    assert any((tmp_path / "charts").iterdir())

    found = loaded("from kit.steps.assessment.screen import AssessmentScreen; AssessmentScreen()", env)
    assert found["altair"] is False and found["vl_convert"] is False

    # Every rule set was drawn ahead too: switching it never waits for the engine.
    found = loaded(SWITCH_RULE_SETS, env)
    assert found["altair"] is False and found["vl_convert"] is False
