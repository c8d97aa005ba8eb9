"""Regional issues: what notebook 02 hands to notebooks 03 and 04.

A regional issue is a sentence a team writes after stacking individual cases, with
the life issues it is about, the areas where it occurs and its evidence. The step's
model stores it and hands it on (``kit.steps.cases.model.saved_issues``); a user who
skipped notebook 02 works with the sample town's issues
(``data/sample_town/regional_issues.csv``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd

from kit.paths import SAMPLE_TOWN
from kit.vocab import URGENCIES

__all__ = ["SCOPES", "RegionalIssue", "sample_issues"]

# 特異的: seen in one person only; 普遍的: recurs across people or areas (seed 003, STEP 2).
SCOPES: tuple[str, ...] = ("普遍的", "特異的")


@dataclass(frozen=True)
class RegionalIssue:
    id: str
    statement: str
    life_issues: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()          # 地区コード; empty means the whole town
    urgency: str = "中"
    scope: str = "普遍的"
    case_ids: tuple[str, ...] = ()
    evidence: str = ""                   # figures and facts that support it, in words
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        # A team's own 生活課題 tags (「役割」) are allowed beside the vocabulary's.
        if not all(isinstance(tag, str) and tag.strip() for tag in self.life_issues):
            raise ValueError(f"生活課題に空の語があります: {self.life_issues}")
        if self.urgency not in URGENCIES:
            raise ValueError(f"緊急度は {'・'.join(URGENCIES)} のいずれかです: {self.urgency}")
        if self.scope not in SCOPES:
            raise ValueError(f"範囲は {'・'.join(SCOPES)} のいずれかです: {self.scope}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "RegionalIssue":
        tuples = {"life_issues", "areas", "case_ids"}
        return cls(**{key: tuple(value) if key in tuples else value
                      for key, value in data.items()})


def _split(cell) -> tuple[str, ...]:
    return tuple(part for part in str(cell).split(";") if part) if pd.notna(cell) else ()


@lru_cache(maxsize=1)
def sample_issues() -> tuple[RegionalIssue, ...]:
    table = pd.read_csv(SAMPLE_TOWN / "regional_issues.csv", dtype=str, encoding="utf-8-sig")
    return tuple(
        RegionalIssue(id=row["課題ID"], statement=row["地域課題"],
                      life_issues=_split(row["生活課題"]), areas=_split(row["地区コード"]),
                      urgency=row["緊急度"], scope=row["範囲"], case_ids=_split(row["事例ID"]),
                      evidence=row["根拠"] if pd.notna(row["根拠"]) else "")
        for _, row in table.iterrows())
