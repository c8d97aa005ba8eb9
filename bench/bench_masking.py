"""Recall and precision of ``kit.masking`` on the hand-written test texts.

    python bench/bench_masking.py [--show-misses]

An expected item is found when a mask of the same kind covers it; a mask that
covers no expected item is a false alarm. ``dev`` is the set the rules were
developed against, ``heldout`` was written before the rules and never tuned on,
``hard`` holds forms the rules were expected to miss (written after them, not tuned on),
``sample_notes`` annotates the sample town's raw notes (``data/sample_town/case_notes_raw.txt``,
written by someone else).
Also counts masks on the sample town's de-identified free text (every one is a false
alarm) and prints the time to mask one text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from kit import datasets
from kit.cases import MASKED_COLUMNS
from kit.masking import KINDS, mask_table, mask_text

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "masking"
SETS = ("dev", "heldout", "hard", "sample_notes")
# Free-text columns of the sample actors (the cases' are kit.cases.MASKED_COLUMNS).
ACTOR_TEXT = ("本業・サービス内容", "価値を感じていること", "困っていること", "できること・やりたいこと")


def score(items: list[dict]) -> dict:
    """Per-kind counts of expected, found and false alarms, plus the misses."""
    expected, hit, alarms, masks = Counter(), Counter(), Counter(), Counter()
    misses, false_alarms, lost = [], [], []
    for item in items:
        result = mask_text(item["text"])
        used = set()
        for kind, original in item["expected"]:
            expected[kind] += 1
            start = item["text"].find(original)
            while start != -1:
                match = next((m for m in result.found if m.kind == kind and m.start <= start
                              and m.end >= start + len(original) and id(m) not in used), None)
                if match:
                    used.add(id(match))
                    hit[kind] += 1
                    break
                start = item["text"].find(original, start + 1)
            else:
                misses.append((kind, original, item["text"]))
        for m in result.found:
            masks[m.kind] += 1
            if id(m) not in used and not any(m.kind == k and o in m.original or m.original in o
                                             for k, o in item["expected"]):
                alarms[m.kind] += 1
                false_alarms.append((m.kind, m.original, item["text"]))
        lost += [(word, result.text) for word in item["keep"] if word not in result.text]
    return {"expected": expected, "hit": hit, "alarms": alarms, "masks": masks,
            "misses": misses, "false_alarms": false_alarms, "lost": lost}


def load(name: str) -> list[dict]:
    """A fixture set; an item may name a file of the repository instead of giving its text."""
    items = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    for item in items:
        if "file" in item:
            item["text"] = (REPO / item["file"]).read_text(encoding="utf-8")
    return items


def _around(text: str, part: str, width: int = 25) -> str:
    at = text.find(part)
    return text[max(0, at - width):at + len(part) + width].replace("\n", " ")


def _ratio(a: int, b: int) -> str:
    return f"{a / b:6.1%}" if b else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    for name in SETS:
        items = load(name)
        s = score(items)
        print(f"\n{name}: {len(items)} texts, {sum(s['expected'].values())} items to mask")
        print(f"{'expected':>9}{'found':>7}{'recall':>8}{'masks':>7}{'false':>7}  kind")
        for kind in (*KINDS, "計"):
            e = sum(s["expected"].values()) if kind == "計" else s["expected"][kind]
            h = sum(s["hit"].values()) if kind == "計" else s["hit"][kind]
            m = sum(s["masks"].values()) if kind == "計" else s["masks"][kind]
            a = sum(s["alarms"].values()) if kind == "計" else s["alarms"][kind]
            print(f"{e:>9}{h:>7}{_ratio(h, e):>8}{m:>7}{a:>7}  {kind}")
        print(f"care words lost: {len(s['lost'])} of {sum(len(i['keep']) for i in items)}")
        if args.show_misses:
            for kind, original, text in s["misses"]:
                print("  MISS ", kind, original, "|", _around(text, original))
            for kind, original, text in s["false_alarms"]:
                print("  FALSE", kind, original, "|", _around(text, original))
            for word, masked in s["lost"]:
                print("  LOST ", word, "|", masked[:80])
    cases, actors = datasets.sample("cases"), datasets.sample("actors")
    _, case_alarms = mask_table(cases, MASKED_COLUMNS, id_column="事例ID")
    _, actor_alarms = mask_table(actors, ACTOR_TEXT, id_column="主体ID")
    cells = sum(cases[c].notna().sum() for c in MASKED_COLUMNS) + sum(actors[c].notna().sum() for c in ACTOR_TEXT)
    print(f"\nfalse alarms on the sample town's de-identified free text ({cells} cells): "
          f"{len(case_alarms) + len(actor_alarms)}")
    texts = [item["text"] for name in SETS for item in load(name)]
    start = time.perf_counter()
    for text in texts:
        mask_text(text)
    print(f"\nmask_text: {(time.perf_counter() - start) / len(texts) * 1000:.1f} ms per text "
          f"({len(texts)} texts, tokenizer already built)")


if __name__ == "__main__":
    main()
