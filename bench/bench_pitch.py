"""How long a team waits after clicking an export button on page 04, and how big
the files are, for the worked example of the sample town.

    python bench/bench_pitch.py [--runs 5]

Steps timed separately: masking every free text of the pitch, drawing the two
charts as PNG, building the .pptx, building the one-page HTML. Figures only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pitch_fixtures import model_pitch  # noqa: E402

from kit import charts  # noqa: E402
from kit.steps.pitch.domain import masked  # noqa: E402
from kit.steps.pitch.export import chart_images, to_html, to_pptx  # noqa: E402


def timed(step, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    charts.warm_up()
    masked(model_pitch())  # the tokenizer is built once per kernel, in phase 1 of a page
    pitch = model_pitch()
    seconds, (clean, _) = timed(lambda: masked(pitch), runs)
    print(f"masking the pitch:     {seconds * 1000:7.0f} ms")
    seconds, images = timed(lambda: chart_images(clean), runs)
    print(f"charts as PNG:         {seconds * 1000:7.0f} ms  ({sum(map(len, images.values())) / 1024:.0f} KiB)")
    seconds, deck = timed(lambda: to_pptx(clean, images), runs)
    print(f"slides (.pptx):        {seconds * 1000:7.0f} ms  ({len(deck) / 1024:.0f} KiB)")
    seconds, page = timed(lambda: to_html(clean, images), runs)
    print(f"one-page HTML:         {seconds * 1000:7.0f} ms  ({len(page.encode()) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
