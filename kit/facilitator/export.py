"""Everything the teams of a workshop produced, for the facilitator to keep after
the session: one workbook with a sheet per kind of work, and a zip of each
team's pitch as slides and one-page summary.

Free text is masked (kit.masking) and actor lists leave without contact columns,
as in each page's own export: a workbook mailed round after a training must not
carry a resident's name or an actor's phone number by accident.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pandas as pd

from kit import datasets
from kit.export import export_filename, to_xlsx
from kit.facilitator.progress import progress_table, team_progress
from kit.masking import mask_text
from kit.start.model import MEMO_KEY as START_MEMO_KEY
from kit.start.self_assessment import PHASES, QUESTIONS, responses, summary
from kit.steps.actors import domain as act
from kit.steps.actors.model import OFFERS_KEY
from kit.steps.actors.model import TABLE_KEY as ACTORS_TABLE_KEY
from kit.steps.assessment.model import MEMO_PREFIX, MEMO_PROMPTS
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import GROUPS_KEY, ISSUES_KEY, TAGS_KEY
from kit.steps.pitch.domain import (
    DRAFT_PREFIX,
    REVIEWS_KEY,
    RUBRIC,
    Pitch,
    load_pitch,
    masked,
)
from kit.workshop import Workshop

__all__ = ["workshop_sheets", "workshop_xlsx", "pitch_rows", "pitch_files"]

def _mask(text) -> str:
    return mask_text(text).text if isinstance(text, str) and text else ""


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def pitch_rows(pitch: Pitch) -> list[tuple[str, str]]:
    """(項目, 内容) of a (masked) pitch, in the order of the canvas."""
    rows = [("タイトル", pitch.title_text),
            ("地域課題", pitch.goal_text),
            ("数字", "\n".join(figure.text() for figure in pitch.figures)),
            ("一人の物語", pitch.story.text() if pitch.story else ""),
            ("連携先", "、".join(partner.name for partner in pitch.partners))]
    rows += [(f"{part}（{role}）", text) for part, role, text in pitch.parts()]
    rows += pitch.gains() + pitch.skeleton()
    return rows


def workshop_sheets(store, workshop: Workshop) -> dict[str, pd.DataFrame]:
    """Sheet name → table, over every team of ``workshop``."""
    headings = {key: heading for key, heading, _ in MEMO_PROMPTS}
    teams = workshop.workspaces(store)
    memos, notes, issues, tags, groups, offers, actor_lists, pitches, reviews, answers = ([] for _ in range(10))
    for ws in teams:
        team = ws.team
        notes.append({"チーム": team, "この研修で持ち帰りたいこと": _mask(ws.get(START_MEMO_KEY, ""))})
        areas = datasets.for_workspace(ws, "areas")
        area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        for key, text in ws.items(MEMO_PREFIX):
            area, _, prompt = key[len(MEMO_PREFIX):].partition("/")
            if isinstance(text, str) and text.strip():
                memos.append({"チーム": team, "地区": area_names.get(area, area),
                              "観点": headings.get(prompt, prompt), "メモ": _mask(text)})
        for item in ws.get(ISSUES_KEY) or []:
            issue = RegionalIssue.from_dict(item)
            issues.append({"チーム": team, "課題ID": issue.id, "地域課題": _mask(issue.statement),
                           "生活課題": "・".join(issue.life_issues),
                           "地区": "・".join(area_names.get(a, a) for a in issue.areas) or "市内全域",
                           "緊急度": issue.urgency, "範囲": issue.scope, "事例ID": "・".join(issue.case_ids),
                           "根拠": _mask(issue.evidence)})
        for case_id, chosen in sorted((ws.get(TAGS_KEY) or {}).items()):
            tags.append({"チーム": team, "事例ID": case_id, "生活課題": "・".join(chosen)})
        for group in (ws.get(GROUPS_KEY) or {}).get("groups", []):
            groups.append({"チーム": team, "グループ": _mask(group.get("name", "")),
                           "カード数": len(group.get("cards", [])),
                           "カード": "、".join(group.get("cards", []))})
        for issue_id, text in sorted((ws.get(OFFERS_KEY) or {}).items()):
            if isinstance(text, str) and text.strip():
                offers.append({"チーム": team, "課題ID": issue_id, "私たちが提供できること": _mask(text)})
        own_actors = ws.get_table(ACTORS_TABLE_KEY)
        if own_actors is not None:
            table, _hidden = act.export_table(act.normalise(own_actors))
            actor_lists.append(table.assign(チーム=team)[["チーム", *table.columns]])
        if ws.keys(DRAFT_PREFIX):
            pitch = masked(load_pitch(ws))[0]
            pitches += [{"チーム": team, "項目": item, "内容": text} for item, text in pitch_rows(pitch)]
        for reviewer, entry in sorted((ws.get(REVIEWS_KEY) or {}).items()):
            reviews.append({"評価されたチーム": team, "評価したチーム": reviewer,
                            **{question: entry["scores"].get(key) for key, question in RUBRIC},
                            "コメント": _mask(entry.get("comment", ""))})
        for phase, label in PHASES.items():
            for person in responses(ws, phase):
                answers.append({"チーム": team, "時期": label,
                                **{f"問{i}": person.get(key) for i, (key, _, _) in enumerate(QUESTIONS, 1)}})
    progress = [team_progress(ws, ws.team, workshop.joined(ws.team)) for ws in teams]
    by_phase = {phase: [person for ws in teams for person in responses(ws, phase)] for phase in PHASES}
    questions = [f"問{i}" for i in range(1, len(QUESTIONS) + 1)]
    understanding = summary(by_phase)
    understanding.insert(0, "問", questions)
    return {
        "進み具合": progress_table(progress),
        "理解度": understanding,
        "理解度_回答": _frame(answers, ["チーム", "時期", *questions]),
        "持ち帰りたいこと": _frame(notes, ["チーム", "この研修で持ち帰りたいこと"]),
        "気づきメモ": _frame(memos, ["チーム", "地区", "観点", "メモ"]),
        "地域課題": _frame(issues, ["チーム", "課題ID", "地域課題", "生活課題", "地区", "緊急度", "範囲",
                                "事例ID", "根拠"]),
        "事例のタグ": _frame(tags, ["チーム", "事例ID", "生活課題"]),
        "グループ": _frame(groups, ["チーム", "グループ", "カード数", "カード"]),
        "提供できること": _frame(offers, ["チーム", "課題ID", "私たちが提供できること"]),
        "主体リスト": (pd.concat(actor_lists, ignore_index=True) if actor_lists
                    else _frame([], ["チーム", *(c for c in act.COLUMNS if c not in act.CONTACT_COLUMNS
                                                 + act.LOCATION_COLUMNS)])),
        "提案": _frame(pitches, ["チーム", "項目", "内容"]),
        "相互評価": _frame(reviews, ["評価されたチーム", "評価したチーム", *(q for _, q in RUBRIC), "コメント"]),
    }


def workshop_xlsx(store, workshop: Workshop) -> bytes:
    return to_xlsx(workshop_sheets(store, workshop))


def pitch_files(store, workshop: Workshop, day: date) -> tuple[bytes, list[str]]:
    """A zip with each team's pitch as .pptx and printable .html (masked), and the
    names of the teams it holds. Teams that have not started a pitch are left out."""
    from kit.steps.pitch.export import (  # python-pptx: import when used
        chart_images,
        to_html,
        to_pptx,
    )

    buffer, teams = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ws in workshop.workspaces(store):
            if not ws.keys(DRAFT_PREFIX):
                continue
            pitch = replace(masked(load_pitch(ws))[0], team=ws.team)
            images = chart_images(pitch)
            archive.writestr(export_filename(f"提案_{ws.team}", "pptx", day), to_pptx(pitch, images, day))
            archive.writestr(export_filename(f"提案1枚まとめ_{ws.team}", "html", day),
                             to_html(pitch, images, day).encode("utf-8"))
            teams.append(ws.team)
    return buffer.getvalue(), teams
