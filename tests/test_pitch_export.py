"""Slides and the one-page summary, read back as a user's software would read them."""

import io
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pitch_fixtures import TEXTS, model_pitch
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from kit.steps.pitch.domain import Figure, Pitch
from kit.steps.pitch.export import EA_FONT, chart_images, to_html, to_pptx

CHROMIUM = Path("/usr/bin/chromium")
DAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def pitch():
    return model_pitch()


@pytest.fixture(scope="module")
def images(pitch):
    return chart_images(pitch)


@pytest.fixture(scope="module")
def deck(pitch, images):
    return Presentation(io.BytesIO(to_pptx(pitch, images, DAY)))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def all_runs(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    yield from paragraph.runs


def test_one_slide_per_part_of_the_story_plus_cover_gains_skeleton_numbers(deck):
    headings = [slide_text(slide).split("\n")[:2] for slide in deck.slides]
    assert len(deck.slides) == 8
    for index, part in enumerate("起承転結", start=1):
        assert headings[index][0] == f"起承転結 ｜ {part}"
    assert "三方よし" in headings[5] and "立ち上げの骨組み" in headings[6] and "数字で見る効果" in headings[7]


def test_the_users_japanese_text_is_on_its_slide(deck, pitch):
    texts = [slide_text(slide) for slide in deck.slides]
    assert TEXTS["title"] in texts[0] and "2025年6月1日" in texts[0]
    assert "ご提案先: 有限会社こだま食品(移動販売みどり号)" in texts[0]
    assert TEXTS["ki"] in texts[1] and pitch.story.profile in texts[1]
    assert TEXTS["ten"] in texts[3]
    assert TEXTS["gain_partner"] in texts[5] and TEXTS["gain_community"] in texts[5]
    assert TEXTS["schedule"] in texts[6]
    assert "標準額の合計: 32,000千円" in texts[7]


def test_every_run_names_an_east_asian_font(deck):
    runs = [run for run in all_runs(deck) if run.text]
    assert runs
    for run in runs:
        ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == EA_FONT, run.text


def test_charts_are_pictures_on_the_evidence_and_numbers_slides(deck):
    pictures = [[shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
                for slide in deck.slides]
    assert len(pictures[2]) == 1 and len(pictures[7]) == 1
    for shape in pictures[2] + pictures[7]:
        assert shape.image.content_type == "image/png"
        assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height


def test_an_empty_pitch_still_makes_a_deck_that_shows_the_gaps():
    deck = Presentation(io.BytesIO(to_pptx(Pitch())))
    assert len(deck.slides) == 7  # no numbers slide without numbers
    assert "（未記入）" in slide_text(deck.slides[1])
    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    assert not any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in shapes)


def test_figures_without_a_comparison_are_listed_without_a_chart():
    pitch = Pitch(figures=(Figure("奥沢の買物困難の相談件数", 12, "件", "包括の相談記録"),))
    assert chart_images(pitch) == {}
    deck = Presentation(io.BytesIO(to_pptx(pitch)))
    assert "奥沢の買物困難の相談件数: 12件" in slide_text(deck.slides[2])


# --- one-page HTML ------------------------------------------------------------------------

def test_the_one_pager_carries_the_whole_pitch(pitch, images):
    page = to_html(pitch, images, DAY)
    for name in ("title", "ki", "sho", "ten", "ketsu", "gain_partner", "gain_elders", "gain_community",
                 "roles"):
        assert TEXTS[name] in page, name
    assert "奥沢の高齢化率（2020年）: 45.6%" in page
    assert "クロスセクター効果は 730万円/年" in page
    assert "size: A4" in page and "@media print" in page
    assert page.count("<img ") == 1


def test_text_typed_by_a_user_is_escaped(pitch, images):
    hostile = replace(pitch, ki='<script>alert("x")</script>', title="A & B <b>", team='"><img src=x>')
    page = to_html(hostile, images, DAY)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "A &amp; B &lt;b&gt;" in page
    assert '"><img src=x>' not in page


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian の chromium がありません")
def test_the_one_pager_prints_to_a_single_a4_page_with_japanese_fonts(pitch, images, tmp_path):
    source, pdf = tmp_path / "pitch.html", tmp_path / "pitch.pdf"
    source.write_text(to_html(pitch, images, DAY), encoding="utf-8")
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", data, re.S) == [b"1"]
    assert b"NotoSansCJK" in data  # Japanese drawn with a CJK font, not boxes
