"""Kernels are a budget (issue 20): a burst of page requests from one address gets
that address's share of kernels and a Japanese "too many pages" page beyond it;
a kernel whose page never connected is shut down after the grace, while the
preheated kernels waiting in the pools stay; a page that went away makes room."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from polling import wait_until

from kit.limits import KERNEL_MEMORY_MIB
from kit.paths import NOTEBOOKS

pytestmark = pytest.mark.browser

SHARE = 3
GRACE = 10


def kernel_processes(server) -> list[int]:
    """The server's kernel processes (its children running ipykernel)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
        if parent == server.process.pid and b"ipykernel" in command:
            found.append(int(stat.parent.name))
    return found


def data_limit(pid: int) -> int | None:
    """The most memory (data segment) the process may allocate, in bytes."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max data size"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    return None


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture
def budget_server(server_factory, tmp_path, monkeypatch):
    """A server giving each address 3 pages, and 10 s to connect (voila.json in the
    folder it starts from overrides the kit's 60 s)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "voila.json").write_text(json.dumps({
        "KitKernelManager": {"connect_grace": GRACE}, "MappingKernelManager": {"cull_interval": 2}}))
    return server_factory(tmp_path / "store.sqlite", options=("--max-pages-per-pc", str(SHARE)))


def test_a_burst_of_gets_gets_its_share_of_kernels_which_are_shut_down_when_no_page_connects(budget_server):
    server = budget_server
    pools = len(list(NOTEBOOKS.glob("*.ipynb")))  # one preheated kernel per page
    wait_until(lambda: len(kernel_processes(server)) == pools, 180, "the pools did not fill")

    with ThreadPoolExecutor(8) as requests:
        answers = list(requests.map(get, [server.page("01_assessment.ipynb", "?ws=burst")] * 8))

    served = [text for status, text in answers if status == 200]
    refused = [text for status, text in answers if status == 503]
    assert len(served) == SHARE and len(refused) == 8 - SHARE
    for text in refused:
        assert "開いているページが多すぎます" in text and "タブを閉じて" in text
        assert "Traceback" not in text and "Error" not in text
    assert len(kernel_processes(server)) <= pools + SHARE
    for pid in kernel_processes(server):  # and each kernel's memory has a ceiling
        assert data_limit(pid) == KERNEL_MEMORY_MIB * 1024 * 1024
    # No page connected: their kernels go once the grace is over; the pools' stay.
    wait_until(lambda: len(kernel_processes(server)) == pools, GRACE + 60,
               lambda: f"{len(kernel_processes(server))} kernels, expected the {pools} of the pools")


def test_a_pc_over_its_share_sees_why_and_gets_a_page_once_one_goes_away(server_factory, offline_pages, tmp_path):
    server = server_factory(tmp_path / "store.sqlite", options=("--max-pages-per-pc", "1"))
    first = offline_pages()
    first.open(server.page("00_start.ipynb", "?ws=share"))

    second = offline_pages()
    response = second.page.goto(server.page("01_assessment.ipynb", "?ws=share"))
    assert response.status == 503
    second.page.get_by_role("heading", name="開いているページが多すぎます").wait_for()
    assert "作業は保存されています" in second.page.inner_text("body")

    first.context.close()  # a laptop that went away: no tab was closed

    def served_again() -> bool:
        return second.page.reload().status == 200
    wait_until(served_again, 60, "the page that went away did not make room")
    second.page.wait_for_selector(".jupyter-widgets", state="attached")
    assert second.errors() == []
