"""The files a team takes to its partner, both from one :class:`~kit.steps.pitch.domain.Pitch`:

- slides (.pptx): a cover, one slide per part of 起承転結, 三方よし, the
  guidebook skeleton and, when filled, the numbers (cross-sector effect,
  standard amounts). Every run names an East-Asian font (``a:ea``): without it
  PowerPoint draws Japanese with whatever fallback the PC picks, or boxes.
- a one-page summary as print-ready HTML (A4, ``@media print``). Everything a
  user typed is HTML-escaped here.

Charts (:mod:`kit.steps.pitch.charts`) go in as PNG drawn by :func:`kit.charts.to_png`.
Neither file reads the clock: the date on them is passed in. Callers pass a pitch that is already safe
to share (:func:`kit.steps.pitch.domain.masked` has removed personal data from free text).
"""

from __future__ import annotations

import base64
import html
import io
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from kit import charts
from kit.steps.pitch.charts import effect_chart, evidence_chart
from kit.steps.pitch.domain import Pitch

__all__ = ["EA_FONT", "LATIN_FONT", "PPTX_MIME", "chart_images", "to_html", "to_pptx"]

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# Noto Sans CJK JP is what the kit's server and CI have; a municipal PC without it
# falls back through PowerPoint's own East-Asian substitution (Yu Gothic / Meiryo).
EA_FONT = "Noto Sans CJK JP"
LATIN_FONT = "Noto Sans CJK JP"
_EMPTY = "（未記入）"

_WIDE = (Inches(13.333), Inches(7.5))
_MARGIN = Inches(0.6)
_ACCENT = RGBColor(0x1F, 0x5F, 0x99)
_INK = RGBColor(0x22, 0x22, 0x22)
_GREY = RGBColor(0x88, 0x88, 0x88)


def chart_images(pitch: Pitch) -> dict[str, bytes]:
    """PNG of each chart the pitch can draw: ``evidence`` and ``cross_sector``."""
    images = {}
    evidence = evidence_chart(pitch.figures)
    if evidence is not None:
        images["evidence"] = charts.to_png(evidence)
    if pitch.cross_sector is not None and pitch.cross_sector.is_filled:
        images["cross_sector"] = charts.to_png(effect_chart(pitch.cross_sector))
    return images


# --- pptx ------------------------------------------------------------------------------

def _set_fonts(run) -> None:
    """Name the Latin and the East-Asian typeface on one run."""
    run.font.name = LATIN_FONT  # writes <a:latin>
    r_pr = run._r.get_or_add_rPr()
    ea = r_pr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        r_pr.find(qn("a:latin")).addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", EA_FONT)


def _size_for(text: str, largest: int = 24) -> int:
    """Smaller type for longer text, so a paragraph stays on its slide."""
    length = len(text)
    for limit, size in ((60, largest), (160, largest - 4), (320, largest - 8), (600, largest - 11)):
        if length <= limit:
            return size
    return largest - 13


def _write(frame, paragraphs: list[tuple[str, int, bool, RGBColor]]) -> None:
    """Fill a text frame with (text, points, bold, colour) paragraphs."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for index, (text, size, bold, colour) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(6)
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        _set_fonts(run)


def _box(slide, left, top, width, height, paragraphs) -> None:
    _write(slide.shapes.add_textbox(left, top, width, height).text_frame, paragraphs)


def _body(text: str, largest: int = 24) -> tuple[str, int, bool, RGBColor]:
    """A paragraph of user text, or the grey placeholder when it is empty."""
    text = text.strip()
    return (text, _size_for(text, largest), False, _INK) if text else (_EMPTY, largest - 4, False, _GREY)


def _slide(prs, heading: str, kicker: str = ""):
    """A blank slide with a heading bar; returns the slide and the top of the body."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Inches(0.18))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _ACCENT
    bar.line.fill.background()
    lines = [(kicker, 14, False, _ACCENT)] if kicker else []
    _box(slide, _MARGIN, Inches(0.35), prs.slide_width - 2 * _MARGIN, Inches(1.1),
         lines + [(heading, 30, True, _INK)])
    return slide, Inches(1.6)


def _picture(slide, png: bytes, left, top, max_width, max_height) -> None:
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(max_width / picture.width, max_height / picture.height, 1.0)
    picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))


def _table(slide, rows: list[tuple[str, str]], left, top, width, height) -> None:
    table = slide.shapes.add_table(len(rows), 2, left, top, width, height).table
    table.columns[0].width = Emu(int(width * 0.28))
    table.columns[1].width = Emu(width - table.columns[0].width)
    for index, (label, text) in enumerate(rows):
        _write(table.cell(index, 0).text_frame, [(label, 16, True, _INK)])
        _write(table.cell(index, 1).text_frame, [_body(text, 16)])


def to_pptx(pitch: Pitch, images: dict[str, bytes] | None = None, day: date | None = None) -> bytes:
    """The pitch as a 16:9 deck; ``images`` as from :func:`chart_images` (drawn when None)."""
    images = chart_images(pitch) if images is None else images
    prs = Presentation()
    prs.slide_width, prs.slide_height = _WIDE
    full = prs.slide_width - 2 * _MARGIN
    height = prs.slide_height - Inches(2.1)
    # Text on the left, a chart on the right.
    half, right = Emu(int(full * 0.45)), _MARGIN + Emu(int(full * 0.48))
    chart_width = Emu(int(full * 0.52))

    cover = prs.slides.add_slide(prs.slide_layouts[6])
    partners = "、".join(p.name for p in pitch.partners)
    _box(cover, _MARGIN, Inches(2.0), full, Inches(3.5), [
        (pitch.title_text, 36, True, _ACCENT),
        *([(pitch.goal_text, 20, False, _INK)] if pitch.goal_text != pitch.title_text else []),
        *([(f"ご提案先: {partners}", 20, False, _INK)] if partners else []),
        (" ".join(part for part in (pitch.team, _date(day) if day else "") if part), 16, False, _GREY),
    ])

    (ki, sho, ten, ketsu) = pitch.parts()
    slide, top = _slide(prs, ki[1], "起承転結 ｜ 起")
    story = [(pitch.story.text(), 18, False, _ACCENT)] if pitch.story else []
    _box(slide, _MARGIN, top, full, height, story + [_body(ki[2])])

    slide, top = _slide(prs, sho[1], "起承転結 ｜ 承")
    figures = [(figure.text(), 16, False, _ACCENT) for figure in pitch.figures]
    if "evidence" in images:
        _box(slide, _MARGIN, top, half, height, [_body(sho[2], 22), *figures])
        _picture(slide, images["evidence"], right, top, chart_width, height)
    else:
        _box(slide, _MARGIN, top, full, height, [_body(sho[2]), *figures])

    slide, top = _slide(prs, ten[1], "起承転結 ｜ 転")
    offers = [(f"{p.name}（{p.kind}）: {p.offer}" if p.kind else f"{p.name}: {p.offer}", 16, False, _ACCENT)
              for p in pitch.partners]
    _box(slide, _MARGIN, top, full, height, [_body(ten[2]), *offers])

    slide, top = _slide(prs, ketsu[1], "起承転結 ｜ 結")
    _box(slide, _MARGIN, top, full, height, [_body(ketsu[2])])

    slide, top = _slide(prs, "三方よし", "それぞれが得るもの")
    column = Emu(int(full / 3))
    for index, (label, text) in enumerate(pitch.gains()):
        _box(slide, _MARGIN + index * column, top, column - Inches(0.2), height,
             [(label, 18, True, _ACCENT), _body(text, 18)])

    slide, top = _slide(prs, "立ち上げの骨組み", "事業立ち上げガイドブックの5項目")
    _table(slide, pitch.skeleton(), _MARGIN, top, full, height)

    cross, standard = pitch.cross_sector, pitch.standard
    if (cross is not None and cross.is_filled) or standard is not None:
        slide, top = _slide(prs, "数字で見る効果", "クロスセクター効果・生活支援体制整備事業の標準額")
        lines = []
        if cross is not None and cross.is_filled:
            lines.append((cross.summary(), 16, False, _INK))
        if standard is not None:
            lines += [(f"{item}: {how} = {amount:,}千円", 16, False, _INK)
                      for item, how, amount in standard.lines()]
            lines.append((f"標準額の合計: {standard.total:,}千円", 16, True, _ACCENT))
        if "cross_sector" in images:
            _box(slide, _MARGIN, top, half, height, lines)
            _picture(slide, images["cross_sector"], right, top, chart_width, height)
        else:
            _box(slide, _MARGIN, top, full, height, lines)

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --- one-page HTML ---------------------------------------------------------------------

_CSS = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: 'Noto Sans CJK JP','Yu Gothic','Meiryo','Hiragino Sans',sans-serif;
       font-size: 9.5pt; line-height: 1.4; color: #222; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 17pt; color: #1f5f99; margin: 0 0 2mm; }
h2 { font-size: 11pt; color: #1f5f99; border-bottom: 1px solid #1f5f99; margin: 3mm 0 1.5mm; }
.meta { color: #666; font-size: 9pt; }
.grid { display: grid; gap: 2mm; }
.grid.four { grid-template-columns: 1fr 1fr; }
.grid.three { grid-template-columns: 1fr 1fr 1fr; }
.box { border: 1px solid #ccd; border-radius: 2mm; padding: 1.5mm 2.5mm; }
.box b { color: #1f5f99; }
.story { color: #1f5f99; font-size: 8.5pt; }
.evidence { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; align-items: start; }
.evidence ul { margin: 0; padding-left: 4mm; }
.empty { color: #999; }
p { margin: 0.5mm 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccd; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { width: 26%; background: #f0f4f9; }
img { max-width: 100%; max-height: 50mm; }
@media print {
  body { max-width: none; }
  h2, .box, tr, img { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _p(text: str) -> str:
    text = text.strip()
    return f"<p>{html.escape(text)}</p>" if text else f'<p class="empty">{_EMPTY}</p>'


def to_html(pitch: Pitch, images: dict[str, bytes] | None = None, day: date | None = None) -> str:
    """A one-page A4 summary of the pitch, ready to print or save as PDF from a browser."""
    images = chart_images(pitch) if images is None else images
    esc = html.escape
    meta = " ／ ".join(part for part in (
        pitch.team and f"作成: {pitch.team}", day and _date(day),
        pitch.partners and "ご提案先: " + "、".join(p.name for p in pitch.partners)) if part)
    story = f'<p class="story">{esc(pitch.story.text())}</p>' if pitch.story else ""
    parts = "".join(
        f'<div class="box"><b>{esc(part)} — {esc(role)}</b>{story if part == "起" else ""}{_p(text)}</div>'
        for part, role, text in pitch.parts())
    gains = "".join(f'<div class="box"><b>{esc(label)}</b>{_p(text)}</div>' for label, text in pitch.gains())
    figures = "".join(f"<li>{esc(figure.text())}{esc(f'（出典: {figure.source}）' if figure.source else '')}</li>"
                      for figure in pitch.figures)
    evidence = ""
    if figures:
        chart = _img(images["evidence"], "需要の大きさを示すグラフ") if "evidence" in images else ""
        evidence = f'<h2>需要の大きさ</h2><div class="evidence"><ul>{figures}</ul>{chart}</div>'
    skeleton = "".join(f"<tr><th>{esc(label)}</th><td>{_p(text)}</td></tr>"
                       for label, text in pitch.skeleton())
    numbers = ""
    if pitch.cross_sector is not None and pitch.cross_sector.is_filled:
        numbers += _p(pitch.cross_sector.summary())
    if pitch.standard is not None:
        numbers += _p(f"生活支援体制整備事業の標準額: {pitch.standard.total:,}千円（"
                      + "、".join(f"{item} {amount:,}千円" for item, _, amount in pitch.standard.lines()) + "）")
    if numbers:
        numbers = "<h2>数字で見る効果</h2>" + numbers
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        f"<title>{esc(pitch.title_text)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{esc(pitch.title_text)}</h1>"
        + f'<p class="meta">{esc(meta)}</p>'
        f'<h2>起承転結</h2><div class="grid four">{parts}</div>'
        f"{evidence}"
        f'<h2>三方よし</h2><div class="grid three">{gains}</div>'
        f"<h2>立ち上げの骨組み</h2><table>{skeleton}</table>"
        f"{numbers}</body></html>"
    )


def _img(png: bytes, alt: str) -> str:
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # no %-m: Windows' strftime lacks it
