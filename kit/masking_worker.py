"""One masking engine per server: a worker process that holds the NER model, and
the small client the page kernels use to reach it.

The model costs ≈0.5 GiB; forty kernels each loading it would need ≈20 GiB
(docs/performance.md). ``python -m kit serve`` calls :func:`start_worker`, which
starts ``python -m kit.masking_worker`` once, waits until the model is loaded,
and puts its address and a random secret into the environment the kernels
inherit (``KIT_MASKING_WORKER``, ``KIT_MASKING_TOKEN``). A kernel sends its texts
with :func:`request` and gets back what to mask; it never imports spaCy.

Transport: a Unix socket in a folder only the server's user can open, where the
platform has them; elsewhere (Windows) TCP on 127.0.0.1 with a random port. Both
ask for the secret, so another local user cannot use the worker to read texts.
Protocol: one JSON line each way per connection.

If the worker dies, :func:`start_worker`'s watchdog starts it again on the same
address; meanwhile pages get :class:`kit.masking.MaskingUnavailable` and save
nothing: they never mask with a weaker engine.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import secrets
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kit.masking import TOKEN_ENV, WORKER_ENV, MaskingUnavailable

__all__ = ["Worker", "health", "request", "start_worker"]

_READY = "READY "
_CONNECT_TIMEOUT = 5.0
# A request of 256 texts (one 02 import holds thousands) takes seconds, not minutes.
_BATCH = 256
_REPLY_TIMEOUT = 300.0
_START_TIMEOUT = 180.0
_RESTART_PAUSE = 2.0


def _connect(address: str, timeout: float) -> socket.socket:
    kind, _, where = address.partition(":")
    if kind == "unix" and hasattr(socket, "AF_UNIX"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: object = where
    elif kind == "tcp":
        host, _, port = where.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    else:
        raise MaskingUnavailable(f"unknown masking worker address {address!r}")
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except OSError as error:
        sock.close()
        raise MaskingUnavailable(f"masking worker unreachable: {error}") from error
    return sock


def _exchange(address: str, message: dict, timeout: float) -> dict:
    with _connect(address, _CONNECT_TIMEOUT) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendall(json.dumps(message, ensure_ascii=False).encode() + b"\n")
            with sock.makefile("rb") as stream:
                line = stream.readline()
        except OSError as error:
            raise MaskingUnavailable(f"masking worker did not answer: {error}") from error
    try:
        reply = json.loads(line)
    except ValueError:
        raise MaskingUnavailable("masking worker gave no answer") from None
    if not reply.get("ok"):
        raise MaskingUnavailable(f"masking worker refused: {reply.get('error', '')}")
    return reply


def request(address: str, token: str, texts: list[str]) -> list[list[tuple[str, int, int]]]:
    """What to mask in each of ``texts`` (``(kind, start, end)``), from the worker at
    ``address``. Raises :class:`MaskingUnavailable` when it cannot be reached."""
    out: list[list[tuple[str, int, int]]] = []
    for first in range(0, len(texts), _BATCH):
        reply = _exchange(address, {"token": token, "op": "mask", "texts": texts[first:first + _BATCH]},
                          _REPLY_TIMEOUT)
        out += [[(kind, start, end) for kind, start, end in finds] for finds in reply["finds"]]
    return out


def health(address: str | None = None, token: str | None = None) -> dict | None:
    """The worker's answer to a ping (model name, pid), or None when it does not answer."""
    address = address or os.environ.get(WORKER_ENV, "")
    token = os.environ.get(TOKEN_ENV, "") if token is None else token
    try:
        return _exchange(address, {"token": token, "op": "ping"}, _CONNECT_TIMEOUT)
    except MaskingUnavailable:
        return None


# --- the worker process -------------------------------------------------------------

class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        try:
            message = json.loads(self.rfile.readline())
            if not hmac.compare_digest(str(message.get("token", "")).encode(), self.server.token.encode()):
                reply = {"ok": False, "error": "wrong token"}
            elif message.get("op") == "ping":
                from kit.masking_ner import MODEL

                reply = {"ok": True, "model": MODEL, "pid": os.getpid()}
            elif message.get("op") == "mask" and isinstance(message.get("texts"), list):
                texts = [text if isinstance(text, str) else "" for text in message["texts"]]
                with self.server.engine_lock:  # one text at a time through the model
                    reply = {"ok": True, "finds": self.server.finds(texts)}
            else:
                reply = {"ok": False, "error": "unknown request"}
        except Exception as error:  # a bad request must not end the worker
            reply = {"ok": False, "error": type(error).__name__}
        self.wfile.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")


def _server(address: str, token: str):
    from kit.masking import local_finds

    kind, _, where = address.partition(":")
    if kind == "unix":
        _unlink(where)
        server = socketserver.ThreadingUnixStreamServer(where, _Handler)
        os.chmod(where, 0o600)
    else:
        host, _, port = where.rpartition(":")
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer((host, int(port)), _Handler)
        address = f"tcp:{host}:{server.server_address[1]}"
    server.daemon_threads = True
    server.token = token
    server.engine_lock = threading.Lock()
    server.finds = local_finds
    return server, address


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit.masking_worker")
    parser.add_argument("address", help="unix:/path/to/socket or tcp:127.0.0.1:port (0: any free port)")
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "")
    from kit.masking import local_finds

    local_finds(["山田花子さんは桜台の公民館に通う。"])  # load the model before saying ready
    server, address = _server(args.address, token)
    threading.Thread(target=_end_with_parent, args=(server,), daemon=True).start()
    print(_READY + address, flush=True)
    server.serve_forever()
    return 0


def _end_with_parent(server) -> None:
    """Stop when the server that started this worker is gone (killed, or stopped
    without running its exit handlers): no orphan keeps 0.5 GiB. POSIX only: there
    an orphan's parent becomes another process."""
    parent = os.getppid()
    if sys.platform.startswith("win"):
        return
    while os.getppid() == parent:
        time.sleep(1.0)
    server.shutdown()


# --- starting it from the server -----------------------------------------------------

class Worker:
    """The running worker of this server; :meth:`stop` ends it (and its watchdog)."""

    def __init__(self, address: str, token: str):
        self.address, self.token = address, token
        self.process: subprocess.Popen | None = None
        self.started_seconds: float | None = None
        self.failure: str | None = None
        self._stopping = threading.Event()

    def _launch(self) -> None:
        began = time.monotonic()
        env = dict(os.environ, **{TOKEN_ENV: self.token})
        env.pop(WORKER_ENV, None)  # the worker masks in-process
        process = subprocess.Popen([sys.executable, "-m", "kit.masking_worker", self.address],
                                   stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, text=True)
        self.process = process
        line = _read_line(process, _START_TIMEOUT)
        if not line.startswith(_READY):
            process.kill()
            process.wait()
            raise MaskingUnavailable("masking worker did not start")
        self.address = line[len(_READY):].strip()
        self.failure = None
        self.started_seconds = time.monotonic() - began

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is not None and process.poll() is None:
                self._stopping.wait(1.0)
                continue
            if self._stopping.wait(_RESTART_PAUSE):
                return
            try:
                self._launch()
            except (OSError, MaskingUnavailable):
                continue

    def stop(self) -> None:
        self._stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    """The worker's first line, or "" when it ends or stays silent for ``timeout``."""
    box: list[str] = []
    reader = threading.Thread(target=lambda: box.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return box[0] if box else ""


def _default_address() -> str:
    if hasattr(socket, "AF_UNIX") and not sys.platform.startswith("win"):
        folder = tempfile.mkdtemp(prefix="kit-mask-")  # 0700: only this user reaches the socket
        path = str(Path(folder) / "worker.sock")
        if len(path.encode()) < 100:
            return f"unix:{path}"
    with socket.socket() as probe:  # a fixed port, so a restarted worker keeps the address
        probe.bind(("127.0.0.1", 0))
        return f"tcp:127.0.0.1:{probe.getsockname()[1]}"


def start_worker(environ: dict | None = None, address: str | None = None) -> Worker:
    """Start the masking worker, wait until its model is loaded, and point
    ``environ`` (default: this process's environment, which kernels inherit) at it.
    The variables are set even when the start fails (``worker.failure`` says why),
    so that pages report masking as unavailable rather than each loading the
    model; a watchdog keeps trying to start it."""
    environ = os.environ if environ is None else environ
    worker = Worker(address or _default_address(), secrets.token_urlsafe(24))
    try:
        worker._launch()
    except (OSError, MaskingUnavailable) as error:
        worker.failure = str(error)
    environ[WORKER_ENV] = worker.address
    environ[TOKEN_ENV] = worker.token
    threading.Thread(target=worker._watch, daemon=True, name="masking-worker-watchdog").start()
    return worker


if __name__ == "__main__":
    sys.exit(_main())
