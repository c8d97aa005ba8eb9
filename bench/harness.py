"""What the browser benches share: Voilà served the kit's way, kernel processes read
from /proc, and timings taken inside the page.

A server here is ``Voila`` launched with :func:`kit.serve.voila_argv` and
:func:`kit.serve.voila_environment`, i.e. the kit's committed configuration and
template, over any folder (the kit's notebooks, or a bare ipywidgets page). Every
server is stopped, and any kernel it leaves behind killed, when the bench ends.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from kit.paths import NOTEBOOKS
from kit.serve import voila_argv, voila_environment

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "BARE", "Server", "write_bare_notebook", "kernel_memory_mib",
           "kernel_id", "TIME_CHANGE_JS", "READY_JS"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARE = "bare.ipynb"
_TICKS = os.sysconf("SC_CLK_TCK")

# The bare page: one button that updates one HTML widget in the kernel, the
# smallest widget round trip there is.
_BARE_SOURCE = """\
import ipywidgets as w
out = w.HTML("0 clicks")
out.add_class("bare-out")
button = w.Button(description="ok")
button.add_class("bare-button")
def click(_button):
    out.value = f"{int(out.value.split()[0]) + 1} clicks"
button.on_click(click)
w.VBox([button, out])"""

_DRAW_SAMPLE_CHARTS = "from kit.steps.assessment.screen import AssessmentScreen; AssessmentScreen()"

# Resolves when the page's widgets are on screen: Voilà has shown the cells and a
# widget area of real height has been drawn (a style-only widget has none).
READY_JS = """(selector) => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.offsetParent === null) return false;
  return [...document.querySelectorAll(selector)].some(e => e.getBoundingClientRect().height > 10);
}"""

# One interaction timed inside the page: take a snapshot, act on a control the way
# a user does (click, choose an option, type), then wait until the page differs as
# ``done(snapshot)`` says; returns milliseconds. Timing in the page keeps the
# browser driver's own round trips out of the figure.
TIME_CHANGE_JS = """async ([act, selector, value, snapshot, done, timeout]) => {
  const before = new Function('return (' + snapshot + ')()')();
  const finished = new Function('before', 'return (' + done + ')(before)');
  const target = document.querySelectorAll(selector)[act.index || 0];
  if (!target) throw new Error('no element ' + selector);
  const waiting = new Promise((resolve, reject) => {
    const check = () => { if (finished(before)) { observer.disconnect(); resolve(performance.now()); } };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    setTimeout(() => { observer.disconnect(); reject(new Error('timed out: ' + done)); }, timeout);
  });
  const start = performance.now();
  if (act.kind === 'click') {
    target.click();
  } else if (act.kind === 'select') {
    const option = [...target.options].find(o => o.textContent.includes(value));
    if (!option) throw new Error('no option ' + value);
    target.selectedIndex = option.index;
    target.dispatchEvent(new Event('change', {bubbles: true}));
  } else if (act.kind === 'type') {
    target.value = value;
    target.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return (await waiting) - start;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_bare_notebook(directory: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = "bare"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(_BARE_SOURCE)]
    nbformat.write(nb, directory / BARE)
    return directory / BARE


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (kernels are the Voilà server's children)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def kernel_memory_mib(kernel: str) -> tuple[float, float]:
    """(RSS, USS) of the kernel process with this id, in MiB. RSS counts shared
    libraries too; USS (private pages) is what one more such kernel costs."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and f"kernel-{kernel}" in _cmdline(int(proc.name)):
            try:
                rollup = (proc / "smaps_rollup").read_text()
            except OSError:
                continue
            kib = {key: int(value) for key, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
            return kib["Rss"] / 1024, (kib["Private_Clean"] + kib["Private_Dirty"]) / 1024
    return float("nan"), float("nan")


def kernel_id(page) -> str:
    """The id of the kernel behind a rendered Voilà page."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


class Server:
    """Voilà over ``root`` with the kit's configuration, on a free loopback port.

    ``pools`` maps notebook file → preheated pool size (others get ``pool_size``);
    ``extra`` are more command-line options (e.g. a shorter culling timeout);
    ``app`` is the application, as ``module:class`` (``kit.kernels:KitVoila``:
    with the kernel budget of ``python -m kit serve``)."""

    def __init__(self, root: Path, work: Path, name: str, pool_size: int = 1,
                 pools: dict[str, int] | None = None, extra: tuple[str, ...] = (), app: str = "voila.app:Voila"):
        self.root, self.port = root, _free_port()
        self.log = work / f"{name}.log"
        env = voila_environment(dict(os.environ), store=str(work / f"{name}.sqlite"))
        env["KIT_CHART_CACHE"] = str(work / f"{name}-charts")
        if root == NOTEBOOKS:
            # A served kit normally finds the sample town's charts already drawn (the
            # cache is kept between runs): draw them once, as an earlier run would have.
            subprocess.run([sys.executable, "-c", _DRAW_SAMPLE_CHARTS], env=env, check=True,
                           stdout=subprocess.DEVNULL, timeout=900)
        argv = voila_argv(self.port, "127.0.0.1", pool_size, root) + list(extra)
        if pools:
            config = {"default": {"pool_size": pool_size}}
            config.update({file: {"pool_size": size} for file, size in pools.items()})
            argv.append(f"--VoilaKernelManager.kernel_pools_config={json.dumps(config)}")
        self.expected = {p.name: (pools or {}).get(p.name, pool_size) for p in root.glob("*.ipynb")}
        module, application = app.split(":")
        code = (f"import sys, json; from {module} import {application}; "
                f"{application}.launch_instance(argv=json.loads({json.dumps(json.dumps(argv))}))")
        self._log_file = open(self.log, "wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=self._log_file,
                                        stderr=subprocess.STDOUT)

    def wait_until_ready(self, timeout: float = 1200, quiet: float = 3.0) -> float:
        """Seconds from the server's start until every pool is full and its kernels
        have run phase 1.

        Voilà logs a pool as filled once its kernels have *started*; they then run
        the notebook up to the cell that waits for a request. So this waits for the
        log line, then for the server and its kernels to use (almost) no CPU for
        ``quiet`` seconds: a preheated kernel waiting for its visitor is idle."""
        start = time.monotonic()
        wanted = sum(1 for size in self.expected.values() if size > 0)
        history: list[tuple[float, float]] = []
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited; see {self.log}")
            now = time.monotonic()
            history.append((now, self.cpu_seconds()))
            history = [h for h in history if now - h[0] <= quiet + 0.6]
            filled = self.log.read_text(errors="replace").count("is filled with") >= wanted
            if (filled and now - history[0][0] >= quiet
                    and history[-1][1] - history[0][1] < 0.05 * quiet):
                return now - self.started
            time.sleep(0.5)  # sampling CPU counters, not waiting on a page
        raise RuntimeError(f"kernels not ready in {timeout:.0f}s; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its kernels (live ones)."""
        total = 0.0
        for pid in [self.process.pid, *self.kernels()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / _TICKS
        return total

    def memory_mib(self) -> float:
        """PSS of the server and its kernels, in MiB: what they use together, each
        shared library counted once."""
        total = 0
        for pid in [self.process.pid, *self.kernels()]:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
        return total / 1024

    def url(self, page: str, query: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/{page}{query}"

    def kernels(self) -> list[int]:
        """Process ids of the server's running kernels."""
        return [pid for pid in _children(self.process.pid) if "ipykernel" in _cmdline(pid)]

    def stop(self) -> None:
        kernels = self.kernels()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in kernels:  # a server killed mid-way may leave kernels behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log_file.close()
