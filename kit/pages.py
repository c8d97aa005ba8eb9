"""The kit's pages, in the order a learner walks them: the one registry the landing
page, the facilitator's dashboard, the workshop export and the tests read. A new
step is a package under ``kit/steps`` plus one entry in :data:`STEPS`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from kit.paths import NOTEBOOKS

__all__ = ["Page", "STEPS", "LANDING", "OWN_TOWN", "FACILITATOR", "available_steps"]


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    summary: str
    minutes: int = 0            # the time a learner needs (the notebook's 所要時間)
    package: str | None = None  # a step's package: its ``model`` module reports its progress

    @property
    def exists(self) -> bool:
        return (NOTEBOOKS / self.file).is_file()

    @property
    def model(self):
        """The step's model module (``progress``, ``PREFIXES``, hand-off readers);
        imported on first use, as it brings the step's domain code."""
        return import_module(f"{self.package}.model")


LANDING = Page("00_start.ipynb", "はじめに", "キットの使い方とワークスペースの選択")
# After the training: how to get one's own town's data. Linked from 00 and the end of each step.
OWN_TOWN = Page("07_own_town.ipynb", "明日から自分のまちで",
                "自分のまちのデータを、どの部署に、何を、どう頼むか。ひな型・依頼文・チェックリスト", 20)
# Opened with the passphrase the server was started with; never linked from a participant's page.
FACILITATOR = Page("09_facilitator.ipynb", "ファシリテーター用ダッシュボード",
                   "研修の運営: チームの進み具合、全体共有、タイマー、理解度、書き出し")

STEPS: tuple[Page, ...] = (
    Page("01_assessment.ipynb", "地域診断",
         "人口と高齢化の見通し、要介護認定、ニーズ調査、地域資源を日常生活圏域ごとに見比べる",
         45, "kit.steps.assessment"),
    Page("02_cases.ipynb", "個別事例から地域課題へ",
         "一人ひとりの生活課題と本人の資源を整理し、積み重ねて地域の課題にする",
         60, "kit.steps.cases"),
    Page("03_actors.ipynb", "多様な主体リスト",
         "企業・NPO・社協・協同組合・住民団体などのリストをつくり、課題と結びつける",
         45, "kit.steps.actors"),
    Page("04_pitch.ipynb", "提案準備",
         "課題・データ・一人の物語・連携先から、相手に響く提案をつくる",
         60, "kit.steps.pitch"),
)


def available_steps() -> list[Page]:
    """Steps whose notebook exists: the landing page links only to these."""
    return [page for page in STEPS if page.exists]
