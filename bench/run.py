"""Render time and kernel memory of every page, as ratios to a bare ipywidgets page.

Both are served the same way (the kit's Voilà configuration, preheated pool), each
page is opened RUNS times in a fresh headless-Chromium context, and the time from
the request to the widgets being visible is taken. Kernel memory is the resident
set size of the page's kernel process once the page is shown. Figures only: this
machine is noisy, so nothing here asserts.

    python bench/run.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from kit.pages import LANDING, available_steps
from kit.paths import NOTEBOOKS, REPO
from kit.serve import voila_argv, voila_environment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARE = "bare.ipynb"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_bare_notebook(directory: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "bare"
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='ok')")]
    nbformat.write(nb, directory / BARE)


class Server:
    def __init__(self, root: Path, pool_size: int, store: Path, log: Path):
        self.port = _free_port()
        self.log = log
        env = voila_environment(dict(os.environ), store=str(store))
        code = ("import sys; from pathlib import Path; from voila.app import Voila; "
                "from kit.serve import voila_argv; "
                f"Voila.launch_instance(argv=voila_argv({self.port}, '127.0.0.1', {pool_size}, "
                f"Path({str(root)!r})))")
        self.process = subprocess.Popen([sys.executable, "-c", code], env=env,
                                        stdout=open(log, "wb"), stderr=subprocess.STDOUT)
        self.pages = len(list(root.glob("*.ipynb")))

    def wait_until_pools_filled(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            filled = self.log.read_text(errors="replace").count("is filled with")
            if filled >= self.pages:
                return
            time.sleep(0.5)
        raise RuntimeError(f"kernel pools not filled; see {self.log}")

    def url(self, page: str) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{page}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _kernel_rss_mib(kernel_id: str) -> float:
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            if kernel_id in cmdline:
                status = (proc / "status").read_text()
                return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        except OSError:
            continue
    return float("nan")


def _measure(browser, url: str) -> tuple[float, float]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(180_000)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible")
    page.wait_for_selector(".jupyter-widgets", state="visible")
    elapsed = time.perf_counter() - start
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    rss = _kernel_rss_mib(kernel)
    context.close()
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    bare_root = work / "bare"
    bare_root.mkdir()
    _write_bare_notebook(bare_root)
    pages = [LANDING.file, *(p.file for p in available_steps())]
    servers = {
        "bare": Server(bare_root, args.runs, work / "bare.sqlite", work / "bare.log"),
        "kit": Server(NOTEBOOKS, args.runs, work / "kit.sqlite", work / "kit.log"),
    }
    try:
        for server in servers.values():
            server.wait_until_pools_filled()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            rows = {"bare": [_measure(browser, servers["bare"].url(BARE)) for _ in range(args.runs)]}
            for page in pages:
                rows[page] = [_measure(browser, servers["kit"].url(page + "?ws=bench"))
                              for _ in range(args.runs)]
            browser.close()
    finally:
        for server in servers.values():
            server.stop()

    base_time = statistics.median(t for t, _ in rows["bare"])
    base_rss = statistics.median(r for _, r in rows["bare"])
    print(f"render (request -> widgets visible), median of {args.runs}; kernel RSS; "
          f"preheated pool; repo {REPO.name}")
    print(f"{'page':<24}{'render s':>10}{'x bare':>8}{'RSS MiB':>10}{'x bare':>8}")
    for name, samples in rows.items():
        render = statistics.median(t for t, _ in samples)
        rss = statistics.median(r for _, r in samples)
        print(f"{name:<24}{render:>10.2f}{render / base_time:>8.2f}{rss:>10.0f}{rss / base_rss:>8.2f}")


if __name__ == "__main__":
    main()
