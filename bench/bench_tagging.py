"""Precision and recall of the 生活課題 suggestions against the sample town's answer key.

    python bench/bench_tagging.py [--per-tag] [--per-case]

Suggestions read each case's 本人の望み, 困りごと and 経過 in ``data/sample_town/cases.csv``;
the answer key is ``data/sample_town/cases_answer_key.csv``. Micro-averaged over
(case, tag) pairs. The keyword table (kit.vocab.LIFE_ISSUE_KEYWORDS) was written by
someone who had read these cases, so the figures are optimistic for other towns.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from kit.paths import SAMPLE_TOWN
from kit.steps.cases.tagging import score, suggest_for_cases, tags_of
from kit.tokens import warm_up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-tag", action="store_true")
    parser.add_argument("--per-case", action="store_true")
    args = parser.parse_args()
    cases = pd.read_csv(SAMPLE_TOWN / "cases.csv", dtype=str, encoding="utf-8-sig")
    key = pd.read_csv(SAMPLE_TOWN / "cases_answer_key.csv", dtype=str, encoding="utf-8-sig")
    truth = {row["事例ID"]: tags_of(row["生活課題"]) for row in key.to_dict("records")}
    warm_up()
    start = time.perf_counter()
    suggestions = suggest_for_cases(cases)
    elapsed = time.perf_counter() - start
    predicted = {case: [s.tag for s in found] for case, found in suggestions.items()}
    result = score(predicted, truth)
    print(f"cases {len(truth)}, answer tags {result.true_positives + result.false_negatives}, "
          f"suggested {result.true_positives + result.false_positives}")
    print(f"precision {result.precision:.1%}  recall {result.recall:.1%}  "
          f"(hits {result.true_positives}, wrong {result.false_positives}, missed {result.false_negatives})")
    print(f"suggesting for all cases: {elapsed * 1000:.0f} ms")
    if args.per_tag:
        print(result.by_tag.to_string(index=False))
    if args.per_case:
        for case, tags in truth.items():
            wrong = [f"{s.tag}({'/'.join(s.words)})" for s in suggestions[case] if s.tag not in tags]
            missed = [tag for tag in tags if tag not in predicted[case]]
            if wrong or missed:
                print(f"{case}: wrong {wrong} missed {missed}")


if __name__ == "__main__":
    main()
