"""Draw the sample town's charts into the shared chart cache before Voilà starts.

A server starts its preheated kernels all at once. With an empty chart cache (the
first start after installing or updating the kit) every 地域診断 kernel would draw
the same charts at the same moment, each loading the chart engine (some 250 MiB
more per kernel). Drawn once here, they are read from the cache by every kernel.

    python -m kit.prewarm    (``python -m kit serve`` runs it first)
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> int:
    from kit.steps.assessment.screen import AssessmentScreen
    from kit.store import open_store

    # Building the screen draws every tab (its preheat phase); no page is opened,
    # so no workspace is read or written.
    AssessmentScreen(store=open_store())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
