"""What one participant, one file or one page may cost the room's server, in one place.

Every limit here bounds something a single person (or script) could otherwise
grow without end on a 2-core server shared by a room: text typed into a field,
a file brought in, the kernels a page load starts, guesses at a passphrase or a
team's 合言葉. The figures are sized well above what real work needs
(docs/performance.md, 「上限」); the code that enforces them imports them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ATTEMPTS_FREE", "ATTEMPT_WAIT_FIRST", "ATTEMPT_WAIT_MAX", "CONNECT_GRACE", "DEFAULT_TABLE_LIMITS",
    "KERNEL_MEMORY_MIB", "MAX_KERNELS", "MAX_KERNELS_PER_ADDRESS", "MAX_LINE_CHARS", "MAX_TEAMS", "MAX_TEXT_CHARS",
    "MAX_WORKBOOK_CELLS", "MAX_WORKBOOK_MEMBERS", "MAX_WORKBOOK_UNPACKED", "PASSPHRASE_MIN",
    "TABLE_LIMITS", "TEAM_JOIN_BURST", "TEAM_JOIN_INTERVAL", "TableLimits", "kernel_budget",
    "table_limits",
]

# --- text typed into a page ------------------------------------------------------------
# One field (a memo, a case's story, a note on the canvas): about ten pages of
# Japanese text, far above what anyone types. A single 8-million-character field
# made the dashboard's gallery take 364 s. A name, a label or a title: one line.
MAX_TEXT_CHARS = 10_000
MAX_LINE_CHARS = 200


# --- files brought in --------------------------------------------------------------------
@dataclass(frozen=True)
class TableLimits:
    """The most data rows and columns a file of one kind may have."""

    rows: int
    columns: int


# Generous above real municipal files: a 政令市's areas by 町丁字 are a few
# thousand; its population by 町丁字, single-year ages and several years some
# hundred thousand rows; the largest ニーズ調査 seen had 460,000 respondents.
TABLE_LIMITS: dict[str, TableLimits] = {
    "areas": TableLimits(rows=20_000, columns=200),
    "area_map": TableLimits(rows=200_000, columns=200),
    "population": TableLimits(rows=2_000_000, columns=1_000),
    "certification": TableLimits(rows=500_000, columns=200),
    "needs_survey": TableLimits(rows=1_000_000, columns=2_000),
    "resources": TableLimits(rows=200_000, columns=500),
    "cases": TableLimits(rows=100_000, columns=500),
    "actors": TableLimits(rows=100_000, columns=500),
}
# Files read without a kind (the 都道府県 checklist) and kinds added later.
DEFAULT_TABLE_LIMITS = TableLimits(rows=1_000_000, columns=2_000)

# A workbook is a zip archive: what its members unpack to, and how many cells
# its sheets hold, is checked before any reader parses it. A 971 KB .xlsx that
# unpacked to 304 MB (20 million cells) kept a kernel busy for 252 s at 1.77 GB.
MAX_WORKBOOK_UNPACKED = 256 * 1024 * 1024
MAX_WORKBOOK_MEMBERS = 10_000
MAX_WORKBOOK_CELLS = 5_000_000


def table_limits(kind: str | None) -> TableLimits:
    return TABLE_LIMITS.get(kind or "", DEFAULT_TABLE_LIMITS)


# --- kernels -------------------------------------------------------------------------------
# Pages open at once (each holds a kernel of 100-300 MiB) when `python -m kit serve`
# is started without --room; with --room N, twice N (a PC may keep a second page open).
MAX_KERNELS = 40
# Pages open at once from one address: a PC with a few tabs, not a script.
MAX_KERNELS_PER_ADDRESS = 6
# Seconds a visitor's kernel may wait for its page to connect once the page was
# sent; a kernel whose page never connects (a script's GET) is shut down after it.
CONNECT_GRACE = 60
# Memory one kernel may allocate, in MiB (Linux only). A page with the sample town
# uses 100-300 MiB; one with a whole 政令市's files well under 1 GiB.
KERNEL_MEMORY_MIB = 3 * 1024


def kernel_budget(room: int | None) -> int:
    """Pages open at once for a room of ``room`` PCs (None: the default)."""
    return max(MAX_KERNELS, 2 * room) if room else MAX_KERNELS


# --- guessing and squatting ------------------------------------------------------------------
# The facilitator's passphrase: the server refuses to start with a shorter one.
PASSPHRASE_MIN = 8
# Wrong passphrases or 合言葉 before each further try must wait; the wait then
# doubles from the first to the most (seconds). Kept in the store, so reloading
# the page does not reset it, and a stranger can delay a team but never lock it out.
ATTEMPTS_FREE = 3
ATTEMPT_WAIT_FIRST = 5
ATTEMPT_WAIT_MAX = 300
# Teams in one workshop (a room of 60 makes 10-20 teams), and how fast new teams may
# be created: a burst of this many, then one per interval (seconds).
MAX_TEAMS = 40
TEAM_JOIN_BURST = 20
TEAM_JOIN_INTERVAL = 3
