"""Speed of 個別事例から地域課題へ with 5,000 cases, next to the sample town's 32.

A case list that size is generated (seeded): the sample town's cases with new IDs,
areas, 緊急度 and 生活課題 drawn from the kit's vocabularies, and a number in each
free text so that no two texts are the same. On both lists the pure functions of
``kit.steps.cases.domain`` are timed (tags in effect, issue cards, 生活課題 × 地区, 緊急度 × 地区,
KJ grouping and what the statements tab derives from every group), then what the
page does when it opens or re-stacks. Wall and CPU time are shown: on a shared
machine wall time measures the queue. Figures only.

    python bench/bench_cases.py [--cases 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_time

from kit import datasets, vocab
from kit.steps.cases import domain as cs
from kit.steps.cases.model import GROUPS_KEY, TAGS_KEY
from kit.steps.cases.screen import CasesScreen
from kit.steps.cases.tagging import suggest_for_cases
from kit.store import Workspace, open_store

SEED = 20250402
GROUP_SIZE = 20


def synthetic_cases(count: int, sample: pd.DataFrame, areas: list[str], seed: int = SEED) -> pd.DataFrame:
    """``count`` cases shaped like the sample town's, with vocabularies' values."""
    rng = np.random.default_rng(seed)
    rows = sample.iloc[rng.integers(0, len(sample), size=count)].reset_index(drop=True)
    issues = list(vocab.LIFE_ISSUES)
    tags = [";".join(issues[i] for i in sorted(rng.choice(len(issues), size=rng.integers(1, 5),
                                                          replace=False)))
            for _ in range(count)]
    return rows.assign(
        事例ID=[f"X{n:05d}" for n in range(1, count + 1)],
        地区コード=rng.choice(areas, size=count),
        緊急度=rng.choice([*vocab.URGENCIES, None], size=count),
        生活課題=tags,
        困りごと=[f"{text}（{n}）" for n, text in enumerate(rows["困りごと"], 1)])


def grouped(cards: pd.DataFrame) -> dict:
    """A grouping state with every card in a group of ``GROUP_SIZE`` (made one by one)."""
    state = cs.empty_groups()
    ids = list(cards["カード"])
    for start in range(0, len(ids), GROUP_SIZE):
        state = cs.group_cards(state, ids[start:start + GROUP_SIZE], f"グループ{start // GROUP_SIZE + 1}")
    return state


def operations(cases: pd.DataFrame, areas: pd.DataFrame, store_dir: Path) -> dict[str, Callable[[], object]]:
    confirmed = {case: ["移動", "買物"] for case in cases["事例ID"].iloc[::2]}  # half re-tagged by hand
    tags = cs.effective_tags(cases, confirmed)
    cards = cs.issue_cards(cases, tags, areas)
    state = grouped(cards)
    half = list(cards["カード"].iloc[: len(cards) // 2])
    partial = grouped(cards[cards["カード"].isin(half)])
    newest = list(cards["カード"].iloc[-GROUP_SIZE:])    # loose in ``partial``
    store = open_store(str(store_dir / f"bench-{len(cases)}.sqlite"))
    workspace = Workspace(store, "bench")
    workspace.put_table(datasets.table_key("cases"), cases)
    workspace.put(TAGS_KEY, confirmed)
    workspace.put(GROUPS_KEY, partial)
    screen = CasesScreen(store)

    def cells() -> pd.DataFrame:
        return cs.urgency_by_area(cases, tags, areas)

    return {
        "タグ: 確定したタグを反映": lambda: cs.effective_tags(cases, confirmed),
        "カード: 事例×生活課題": lambda: cs.issue_cards(cases, tags, areas),
        "積み上げ: 生活課題×地区": lambda: cs.tags_by_area(cards, areas),
        "積み上げ: 緊急度×地区の表": lambda: cs.urgency_matrix(cells(), areas),
        "グループ化: 1グループつくる": lambda: cs.group_cards(partial, newest, "新しい"),
        "グループ化: 残りのカード": lambda: cs.loose_cards(partial, cards["カード"]),
        "文章: 全グループの根拠": lambda: [cs.evidence_text(cards, g) for g in state["groups"]],
        "文章: 全グループの要約": lambda: [cs.group_profile(cards, g) for g in state["groups"]],
        "画面: ページを開く(phase 2)": lambda: screen.open("bench"),
        "画面: 積み上げを描き直す": lambda: screen.stacking.render(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sample, areas = datasets.sample("cases"), datasets.sample("areas")
    large = synthetic_cases(args.cases, sample, areas["地区コード"].tolist())
    with tempfile.TemporaryDirectory(prefix="kit-bench-cases-") as directory:
        small_ops = operations(sample, areas, Path(directory))
        large_ops = operations(large, areas, Path(directory))
        rows = [(name, median_time(small_ops[name], args.repeat), median_time(large_ops[name], args.repeat))
                for name in small_ops]
    start = time.perf_counter()
    suggest_for_cases(large)
    suggesting = time.perf_counter() - start
    tags = cs.effective_tags(large, {})
    cards = cs.issue_cards(large, tags, areas)
    print(f"個別事例から地域課題へ: median of {args.repeat} runs; {len(large):,} cases → {len(cards):,} issue "
          f"cards, groups of {GROUP_SIZE}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'operation':<30}{f'{len(sample)} wall':>10}{f'{len(large):,} wall':>13}{'cpu':>9}{'ratio(cpu)':>11}")
    for name, (small_wall, small_cpu), (big_wall, big_cpu) in rows:
        ratio = big_cpu / small_cpu if small_cpu > 0 else float("nan")
        print(f"{name:<30}{small_wall * 1000:>8.1f}ms{big_wall * 1000:>11.1f}ms{big_cpu * 1000:>7.0f}ms"
              f"{ratio:>11.1f}")
    print(f"生活課題の提案 (janome) for all {len(large):,} cases, once: {suggesting:.1f} s")


if __name__ == "__main__":
    main()
