"""Pre/post self-assessment (理解度チェック): a few "I can …" statements each
participant rates before the workshop and again at the end, as seed 004's study
sessions did with their 事前・事後アンケート.

Answers are anonymous and kept in the team's workspace as a list per phase, one
entry per person (kit.start.model saves and reads them): a team shares one PC,
so members answer in turn. The facilitator's dashboard compares the phases per
question over all teams.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

import pandas as pd

from kit.pages import STEPS

__all__ = ["PHASES", "QUESTIONS", "SCALE", "entry", "summary", "distribution"]

# phase → what the page calls it
PHASES: dict[str, str] = {"pre": "事前", "post": "事後"}



def _taught_in(package: str) -> str:
    """The step of the registry that teaches a question, as the 理解度 table names it: 「01 地域診断」."""
    page = next(page for page in STEPS if page.package == package)
    return f"{page.file[:2]} {page.title}"


# (key, statement, the step that teaches it). Keys are stored: never rename one.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("population", "自分の地域で、2040年に向けて85歳以上の人と支え手がどう変わるかを、データで説明できる",
     _taught_in("kit.steps.assessment")),
    ("cases", "一人ひとりの事例から、くり返し現れる生活課題を見つけ、根拠つきの地域課題の一文にまとめられる",
     _taught_in("kit.steps.cases")),
    ("actors", "地域課題ごとに、声をかけたい企業・団体などを、理由とともに挙げられる", _taught_in("kit.steps.actors")),
    ("pitch", "連携先・高齢者・地域のそれぞれが得るもの（三方よし）を含めて、提案を組み立てられる",
     _taught_in("kit.steps.pitch")),
    ("explain", "多様な主体と連携する意味を、自分の言葉で職場の人に説明できる", "全体"),
)

SCALE: dict[int, str] = {1: "できない", 2: "あまりできない", 3: "だいたいできる", 4: "できる"}

_QUESTION_KEYS = tuple(key for key, _, _ in QUESTIONS)


def entry(phase: str, answers: Mapping[str, int | None], now: datetime | None = None) -> dict:
    """One person's answers as stored. Raises ValueError (Japanese) when a question
    is unanswered."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {tuple(PHASES)}: {phase!r}")
    missing = [i for i, (q, _, _) in enumerate(QUESTIONS, 1) if answers.get(q) not in SCALE]
    if missing:
        raise ValueError("まだ答えていない質問があります: " + "、".join(f"問{i}" for i in missing))
    return {"answers": {q: int(answers[q]) for q in _QUESTION_KEYS},
            "at": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")}


def _long(answers_by_phase: Mapping[str, Iterable[Mapping[str, int]]]) -> pd.DataFrame:
    rows = [{"質問キー": q, "時期": PHASES[phase], "段階": answers[q]}
            for phase, people in answers_by_phase.items() for answers in people
            for q in _QUESTION_KEYS if answers.get(q) in SCALE]
    return pd.DataFrame(rows, columns=["質問キー", "時期", "段階"])


def summary(answers_by_phase: Mapping[str, Iterable[Mapping[str, int]]]) -> pd.DataFrame:
    """Per question: 事前/事後 の人数と平均 (1–4), and 変化 (事後 − 事前, blank when a
    phase has no answers). Questions in :data:`QUESTIONS` order."""
    long = _long(answers_by_phase)
    table = pd.DataFrame({"質問": [text for _, text, _ in QUESTIONS], "ステップ": [step for _, _, step in QUESTIONS]})
    for label in PHASES.values():
        scores = long[long["時期"] == label].groupby("質問キー")["段階"]
        table[f"{label} 人数"] = [int(scores.size().get(q, 0)) for q in _QUESTION_KEYS]
        table[f"{label} 平均"] = [scores.mean().get(q, float("nan")) for q in _QUESTION_KEYS]
    before, after = (f"{label} 平均" for label in PHASES.values())
    table["変化"] = table[after] - table[before]
    return table


def distribution(answers_by_phase: Mapping[str, Iterable[Mapping[str, int]]]) -> pd.DataFrame:
    """How many people chose each level, per question and phase (zeros included)."""
    long = _long(answers_by_phase)
    counts = long.groupby(["質問キー", "時期", "段階"]).size()
    rows = [{"質問": text, "時期": label, "段階": SCALE[level],
             "人数": int(counts.get((q, label, level), 0))}
            for q, text, _ in QUESTIONS for label in PHASES.values() for level in SCALE]
    return pd.DataFrame(rows, columns=["質問", "時期", "段階", "人数"])
