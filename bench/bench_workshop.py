"""What the facilitator's dashboard costs as a workshop grows: one automatic
refresh of the progress table and of the gallery, the 理解度 table, and the
exports after the session, for 5, 10 and 20 teams that each did some work in
every step (memos, tags, groups, two issues, an offer, three chosen partners, a
pitch with the sample town's worked example, five answers before and after).

    python bench/bench_workshop.py [--runs 3]

Figures only. The dashboard refreshes every REFRESH_SECONDS; a refresh should
take a small part of that.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pitch_fixtures import model_pitch  # noqa: E402

from kit import workshop as wk  # noqa: E402
from kit.facilitator.export import pitch_files, workshop_xlsx  # noqa: E402
from kit.facilitator.model import REFRESH_SECONDS, DashboardModel  # noqa: E402
from kit.facilitator.views.gallery import gallery_html  # noqa: E402
from kit.facilitator.views.progress import progress_html  # noqa: E402
from kit.facilitator.views.understanding import understanding_html  # noqa: E402
from kit.start import self_assessment as sa  # noqa: E402
from kit.start.model import record  # noqa: E402
from kit.steps.actors.model import CHOSEN_KEY, OFFERS_KEY  # noqa: E402
from kit.steps.assessment.model import MEMO_PREFIX  # noqa: E402
from kit.steps.cases import model as cases  # noqa: E402
from kit.steps.cases.issues import sample_issues  # noqa: E402
from kit.steps.pitch.model import save_field  # noqa: E402
from kit.store import open_store  # noqa: E402

PASSPHRASE = "bench passphrase"
ANSWERS = {key: 3 for key, _, _ in sa.QUESTIONS}


def busy_team(workspace) -> None:
    for area in ("A03", "A05"):
        workspace.put(f"{MEMO_PREFIX}{area}/notice", "閉じこもり傾向が高いのに通いの場が少ない")
    workspace.put(cases.TAGS_KEY, {f"C{i:03d}": ["移動", "買物"] for i in range(1, 21)})
    workspace.put(cases.GROUPS_KEY, {"next": 3, "groups": [{"id": "G1", "name": "奥沢の足", "cards": ["C008|移動"]},
                                                        {"id": "G2", "name": "坂の上の買物", "cards": ["C002|買物"]}]})
    cases.save_issues(workspace, list(sample_issues()[:2]))
    workspace.put(OFFERS_KEY, {"K01": "集会所を乗り場に使えるよう自治会に話します"})
    workspace.put(CHOSEN_KEY, [{"issue_id": "K01", "actor_id": f"S00{i}", "name": f"主体{i}",
                                "reason": "送迎の車と運転手がいて、昼間の空き時間を地域に使いたいと話している"}
                               for i in range(1, 4)])
    pitch = model_pitch()
    for name in ("title", "ki", "sho", "ten", "ketsu", "gain_partner", "gain_elders", "gain_community"):
        save_field(workspace, name, getattr(pitch, name))
    for phase in sa.PHASES:
        for _ in range(5):
            record(workspace, phase, ANSWERS)


def timed(step, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'teams':>5} {'progress ms':>12} {'gallery ms':>11} {'理解度 ms':>9} {'xlsx s':>7} {'pitches s':>10}"
          f"  (refresh every {REFRESH_SECONDS} s)")
    for teams in (5, 10, 20):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(str(Path(folder) / "bench.sqlite"))
            workshop = wk.create_workshop(store, "bench")
            for i in range(teams):
                busy_team(wk.resolve_access(store, wk.join(store, workshop.code, f"{i + 1}班").access))
            model = DashboardModel(store, PASSPHRASE)
            model.unlock(PASSPHRASE)
            model.select(workshop.code)
            progress = timed(lambda: progress_html(model.progress()), runs)
            gallery = timed(lambda: gallery_html(model.gallery()), runs)
            understanding = timed(lambda: understanding_html(model.answers()), runs)
            xlsx = timed(lambda: workshop_xlsx(store, model.workshop), 1)
            pitches = timed(lambda: pitch_files(store, model.workshop, date.today()), 1)
            print(f"{teams:>5} {progress * 1000:>12.0f} {gallery * 1000:>11.0f} {understanding * 1000:>9.0f}"
                  f" {xlsx:>7.1f} {pitches:>10.1f}")


if __name__ == "__main__":
    main()
