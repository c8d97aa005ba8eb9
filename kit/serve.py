"""Serve the notebooks with Voilà in tree mode, with the kit's committed configuration.

The configuration (``kit/jupyter/config/voila.json``) and page template
(``kit/jupyter/share/voila/templates/kit``) are found through Jupyter's own search
paths, so a JupyterHub or Binder deployment can reuse them by setting the same two
environment variables that :func:`voila_environment` sets here.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from pathlib import Path

from kit.limits import kernel_budget
from kit.pages import FACILITATOR
from kit.paths import JUPYTER_DIR, NOTEBOOKS
from kit.workshop import PASSPHRASE_ENV, facilitator_passphrase, passphrase_problem

__all__ = ["LANDING_PAGE", "kernel_transport", "voila_argv", "voila_environment", "page_url", "serve"]

LANDING_PAGE = "00_start.ipynb"
# With --room, Voilà refills a pool this long after a kernel is taken, so the
# refills do not compete with the room they refill for (docs/performance.md:
# 40 PCs served in 8 s instead of 47 s on 2 cores).
ROOM_FILL_DELAY = 30
# A Unix socket path holds at most 107 bytes on Linux; Voilà puts a kernel's
# sockets at <temp>/voila_XXXXXXXX/kernel-<uuid>-ipc-N.
_SOCKET_PATH_MAX = 107
_KERNEL_SOCKET_NAME = len("/voila_XXXXXXXX/kernel-00000000-0000-0000-0000-000000000000-ipc-5")


def voila_environment(base: dict[str, str], store: str | None = None,
                      facilitator_passphrase: str | None = None) -> dict[str, str]:
    """The environment Voilà and its kernels need: the kit's config and template first
    on Jupyter's search paths, the workspace store location and the facilitator's
    passphrase if they were given (kernels inherit the server's environment)."""
    env = dict(base)

    def prepend(name: str, path: str) -> None:
        env[name] = os.pathsep.join(p for p in (path, base.get(name, "")) if p)

    prepend("JUPYTER_CONFIG_PATH", str(JUPYTER_DIR / "config"))
    prepend("JUPYTER_PATH", str(JUPYTER_DIR / "share"))
    if store:
        # Kernels run in the notebooks' folder: a relative path would split the data.
        env["KIT_STORE"] = store if "://" in store else str(Path(store).resolve())
    if facilitator_passphrase:
        env[PASSPHRASE_ENV] = facilitator_passphrase
    return env


def kernel_transport(platform: str = sys.platform, temp: str | None = None) -> str:
    """How Voilà talks to its kernels: Unix sockets where they work, else TCP.

    Over TCP each kernel picks five free ports and then binds them; when a pool
    starts many kernels at once two can pick the same port, one kernel dies, and
    Voilà still hands it to a visitor whose page then never loads. Unix sockets
    have no such race, but only Linux is used here with them (macOS allows
    shorter paths than its temporary folder leaves room for; Windows support
    varies), and only when the path fits."""
    temp = tempfile.gettempdir() if temp is None else temp
    fits = len(temp.encode()) + _KERNEL_SOCKET_NAME <= _SOCKET_PATH_MAX
    return "ipc" if platform.startswith("linux") and fits else "tcp"


def voila_argv(port: int, host: str, pool_size: int | None = None,
               root: Path = NOTEBOOKS, room: int | None = None,
               max_pages: int | None = None, max_pages_per_pc: int | None = None) -> list[str]:
    """Command-line arguments for Voilà; everything else comes from voila.json.

    ``room`` is the number of PCs that open the landing page together: that page
    gets a preheated kernel for each, and pools refill only after the crowd.
    ``max_pages`` (default: sized for the room) and ``max_pages_per_pc`` bound the
    pages open at once, overall and from one address (``kit.kernels``)."""
    argv = [str(root), f"--port={port}", f"--Voila.ip={host}", "--no-browser",
            "--Voila.port_retries=0", f"--KernelManager.transport={kernel_transport()}",
            f"--KitKernelManager.max_kernels={max_pages or kernel_budget(room)}"]
    if max_pages_per_pc:
        argv.append(f"--KitKernelManager.max_kernels_per_address={max_pages_per_pc}")
    if pool_size is not None:
        argv.append(f"--VoilaConfiguration.default_pool_size={pool_size}")
    if room:
        pools = {LANDING_PAGE: {"pool_size": room}}
        if pool_size is not None:  # Voilà reads the other pages' size from here once pools are set
            pools["default"] = {"pool_size": pool_size}
        argv += [f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
                 f"--VoilaKernelManager.fill_delay={ROOM_FILL_DELAY}"]
    return argv


def page_url(host: str, port: int, page: str = LANDING_PAGE) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "") else host
    return f"http://{shown}:{port}/voila/render/{page}"


def _lan_addresses() -> list[str]:
    """Addresses other PCs in the room may use; resolved locally, nothing is sent."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({info[4][0] for info in infos if not info[4][0].startswith("127.")})


def _open_when_ready(host: str, port: int, url: str, timeout: float = 60) -> None:
    """Open the browser once the port accepts connections (Voilà takes a few seconds)."""
    deadline = time.monotonic() + timeout
    target = "127.0.0.1" if host in ("0.0.0.0", "") else host
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((target, port), timeout=1):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.3)


def _passphrase_note(passphrase: str | None) -> str:
    """What the console says about the dashboard's passphrase (never the passphrase)."""
    if passphrase is None:
        return ("ファシリテーター用ダッシュボードは、合言葉が未設定のため開けません"
                "（--facilitator-passphrase か環境変数 KIT_FACILITATOR_PASSPHRASE で設定）。")
    return "ファシリテーター用の合言葉を設定しました。"


def _prewarm_charts() -> None:
    """Draw the sample town's charts once (``kit.prewarm``), in a separate process so
    that the server does not keep the chart engine in memory. A failure only means
    that the first kernels draw them."""
    print("グラフを準備しています…", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "kit.prewarm"], check=False, timeout=600,
                       stdout=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        pass


def _start_masking_worker():
    """Start the server's one masking engine (``kit.masking_worker``) before any
    kernel, so that every kernel inherits its address; stopped when serve ends.
    A worker this process was pointed at (its address in the environment) that
    answers is used instead: several servers on one machine share one model."""
    import atexit

    from kit.masking_worker import health, start_worker

    if health():
        return None

    print("個人情報を伏せる仕組みを準備しています…", flush=True)
    worker = start_worker()
    atexit.register(worker.stop)
    if worker.failure:
        print("注意: 個人情報を伏せる仕組みを起動できませんでした。事例やメモの保存は、起動できるまで"
              "止まります（自動で起動し直します）。", flush=True)
    return worker


def serve(port: int = 8866, host: str = "127.0.0.1", open_browser: bool = True,
          store: str | None = None, pool_size: int | None = None,
          facilitator_passphrase_value: str | None = None, room: int | None = None,
          max_pages: int | None = None, max_pages_per_pc: int | None = None) -> int:
    """Run Voilà until interrupted (Ctrl+C). Returns the exit status."""
    passphrase = facilitator_passphrase_value or facilitator_passphrase()
    if passphrase and (problem := passphrase_problem(passphrase)):
        print(f"エラー: {problem}サーバーは起動していません。", file=sys.stderr)
        return 2
    os.environ.update(voila_environment(dict(os.environ), store=store,
                                        facilitator_passphrase=facilitator_passphrase_value))
    url = page_url(host, port)
    print(f"地域づくりワークショップキットを起動します。ブラウザで開くページ: {url}", flush=True)
    if host in ("0.0.0.0", ""):
        for address in _lan_addresses():
            print(f"  会場の他のPCからは: {page_url(address, port)}", flush=True)
    print(f"ファシリテーター用ダッシュボード: {page_url(host, port, FACILITATOR.file)}", flush=True)
    print("  " + _passphrase_note(facilitator_passphrase()), flush=True)
    print("止めるには、この画面で Ctrl+C を押してください。", flush=True)
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(host, port, url), daemon=True).start()

    _prewarm_charts()
    _start_masking_worker()
    from kit.kernels import (
        KitVoila,  # imported late: the environment above must be set first
    )

    KitVoila.launch_instance(argv=voila_argv(port, host, pool_size, room=room, max_pages=max_pages,
                                             max_pages_per_pc=max_pages_per_pc))
    return 0
