"""The pitch step's state: its store keys, and what the dashboard reads of it."""

from __future__ import annotations

from kit.steps import StepProgress, step_progress
from kit.steps.pitch.domain import DRAFT_PREFIX, REVIEWS_KEY, check, load_pitch

__all__ = ["PREFIXES", "started", "progress"]

PREFIXES: tuple[str, ...] = (DRAFT_PREFIX,)


def started(workspace) -> bool:
    return bool(workspace.keys(DRAFT_PREFIX))


def progress(workspace) -> StepProgress:
    if not started(workspace):
        return step_progress(workspace, PREFIXES, False, "—")
    prompts = len(check(load_pitch(workspace)))
    reviews = len(workspace.get(REVIEWS_KEY) or {})
    return step_progress(workspace, PREFIXES, prompts == 0, f"チェック残り {prompts}件・評価 {reviews}件")


def pitch_rows(pitch) -> list[tuple[str, str]]:
    """(項目, 内容) of a (masked) pitch, in the order of the canvas."""
    rows = [("タイトル", pitch.title_text),
            ("地域課題", pitch.goal_text),
            ("数字", "\n".join(figure.text() for figure in pitch.figures)),
            ("一人の物語", pitch.story.text() if pitch.story else ""),
            ("連携先", "、".join(partner.name for partner in pitch.partners))]
    rows += [(f"{part}（{role}）", text) for part, role, text in pitch.parts()]
    rows += pitch.gains() + pitch.skeleton()
    return rows


def gallery(workspace):
    """The pitch's title and 起承転結 (and, shown alone, what each party gains), masked."""
    from kit.steps import GallerySection
    from kit.steps.pitch.domain import masked

    if not started(workspace):
        return GallerySection("", empty="提案はまだ書かれていません")
    pitch = masked(load_pitch(workspace))[0]
    return GallerySection(f"提案: {pitch.title_text}",
                          tuple((part, text.strip() or "（未記入）") for part, _role, text in pitch.parts()),
                          more=tuple((head, text.strip() or "（未記入）") for head, text in pitch.gains()),
                          title=True)


def export_sheets(workspaces) -> dict:
    """提案 (each started pitch, masked) and 相互評価 of every team."""
    import pandas as pd

    from kit.steps import masked_text
    from kit.steps.pitch.domain import RUBRIC, masked

    pitches, reviews = [], []
    for ws in workspaces:
        if started(ws):
            pitches += [{"チーム": ws.team, "項目": item, "内容": text}
                        for item, text in pitch_rows(masked(load_pitch(ws))[0])]
        for reviewer, entry in sorted((ws.get(REVIEWS_KEY) or {}).items()):
            reviews.append({"評価されたチーム": ws.team, "評価したチーム": reviewer,
                            **{question: entry["scores"].get(key) for key, question in RUBRIC},
                            "コメント": masked_text(entry.get("comment", ""))})
    return {
        "提案": pd.DataFrame(pitches, columns=["チーム", "項目", "内容"]),
        "相互評価": pd.DataFrame(reviews, columns=["評価されたチーム", "評価したチーム", *(q for _, q in RUBRIC), "コメント"]),
    }
