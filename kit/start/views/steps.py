"""The steps as the landing page lists them: the registry's titles, summaries and
minutes (kit.pages.STEPS), each a link in the visitor's workspace."""

from __future__ import annotations

import html

from kit import pages
from kit.workspace import page_link

__all__ = ["steps_html"]


def steps_html(link: str | None) -> str:
    """The table of the steps whose page exists; ``link`` is the workspace as links carry it."""
    shown = pages.available_steps()
    if not shown:
        return "<p>ステップのページはまだありません。</p>"
    rows = "".join(
        f'<tr><td><a href="{html.escape(page_link(page.file, link))}"><b>{number}. {html.escape(page.title)}</b></a>'
        f"</td><td>{html.escape(page.summary)}</td><td>約{page.minutes}分</td></tr>"
        for number, page in enumerate(shown, 1))
    return (f"<h3>{len(shown)}つのステップ</h3>"
            '<table class="kit-table kit-steps"><tr><th>ステップ</th><th>やること</th><th>目安の時間</th></tr>'
            f"{rows}</table>")
