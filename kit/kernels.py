"""The room's server treats kernels as a budget (``python -m kit serve``).

Every page load takes a kernel (100-300 MiB). Without a bound, one script (or a
browser reloading in a loop) fills the server: 8 GETs made 8 kernels and 1.2 GB
that stayed for 15 minutes. Here:

- :class:`KernelBudget` counts the pages open at once, overall and per client
  address. A kernel whose page connected and then went away (a closed laptop, a
  browser that crashed) is given up first when room is needed; when there is
  none, the visitor gets a Japanese page that says the server is full
  (:class:`BudgetedVoilaHandler`), and no kernel is taken.
- :class:`KitKernelManager` shuts down a visitor's kernel whose page never
  connected within :data:`~kit.limits.CONNECT_GRACE` seconds of being sent (a
  script's GET). The preheated kernels waiting in the pools are no visitor's and
  are never counted or culled. On Linux it also caps what each kernel may allocate.
- :class:`QuietChannels` keeps what the kernel writes to stderr (log lines,
  tracebacks of a comm nobody registered) and its error messages off the
  browser's websocket: a page shows no exception text, and devtools neither.
- :class:`KitVoila` is Voilà with the budgeted page handler.

The budget bounds what visitors hold; the pools (``--pool-size``, ``--room``) are
fixed on top of it.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import authenticated
from traitlets import Float, Instance, Integer, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from kit.limits import (
    CONNECT_GRACE,
    KERNEL_MEMORY_MIB,
    MAX_KERNELS,
    MAX_KERNELS_PER_ADDRESS,
)

__all__ = ["Full", "KernelBudget", "KitKernelManager", "KitVoila", "QuietChannels", "BudgetedVoilaHandler",
           "full_page"]

# A kernel whose page lost its connection this long ago may be given up for a new
# visitor: a reload or a short network drop reconnects well within it.
ABANDONED_AFTER = 10


class Full(Exception):
    """No room for another page; ``mine``: the address's own share is used up."""

    def __init__(self, mine: bool):
        super().__init__("per address" if mine else "overall")
        self.mine = mine


@dataclass(eq=False)
class Visit:
    """One page load: from the request until its kernel is gone."""

    address: str
    kernel: str | None = None
    sent: float | None = None       # when the page had been sent
    connections: int = 0
    connected_once: bool = False
    left: float | None = None       # when its last connection closed

    def abandoned(self, now: float) -> bool:
        return (self.connected_once and not self.connections and self.left is not None
                and now - self.left >= ABANDONED_AFTER)


class KernelBudget:
    """Pages open at once, overall and per address; what to give up for a new one."""

    def __init__(self, total: int, per_address: int, grace: float, clock: Callable[[], float] = time.monotonic):
        self.total, self.per_address, self.grace = total, per_address, grace
        self._clock = clock
        self._visits: list[Visit] = []

    def __len__(self) -> int:
        return len(self._visits)

    def count(self, address: str) -> int:
        return sum(visit.address == address for visit in self._visits)

    def _find(self, kernel: str) -> Visit | None:
        return next((visit for visit in self._visits if visit.kernel == kernel), None)

    def admit(self, address: str) -> tuple[Visit, list[str]]:
        """A new visit from ``address`` and the kernels to shut down to make room
        for it (abandoned ones, longest gone first). Raises :class:`Full`."""
        now = self._clock()

        def abandoned(visits):
            return sorted((v for v in visits if v.abandoned(now)), key=lambda v: v.left)

        mine = [visit for visit in self._visits if visit.address == address]
        given_up: list[Visit] = []
        if (over := len(mine) - self.per_address + 1) > 0:
            given_up = abandoned(mine)[:over]
            if len(given_up) < over:
                raise Full(mine=True)
        if (over := len(self._visits) - len(given_up) - self.total + 1) > 0:
            others = [visit for visit in abandoned(self._visits) if visit not in given_up][:over]
            if len(others) < over:
                raise Full(mine=False)
            given_up += others
        self._visits = [visit for visit in self._visits if visit not in given_up]
        visit = Visit(address)
        self._visits.append(visit)
        return visit, [v.kernel for v in given_up]

    def bind(self, visit: Visit, kernel: str) -> None:
        visit.kernel = kernel

    def sent(self, visit: Visit) -> None:
        """The page has been sent (or its request ended): the wait for it to connect starts."""
        if visit.kernel is None:  # no kernel was taken (a redirect, a failure)
            self._visits = [v for v in self._visits if v is not visit]
        else:
            visit.sent = self._clock()

    def connected(self, kernel: str) -> None:
        if visit := self._find(kernel):
            visit.connections += 1
            visit.connected_once = True

    def disconnected(self, kernel: str) -> None:
        if (visit := self._find(kernel)) and visit.connections:
            visit.connections -= 1
            if not visit.connections:
                visit.left = self._clock()

    def keep(self, alive) -> None:
        """Forget the visits whose kernel is gone (the page was closed, a cull)."""
        self._visits = [v for v in self._visits if v.kernel is None or v.kernel in alive]

    def unconnected(self) -> list[str]:
        """Kernels whose page was sent ``grace`` seconds ago and never connected;
        they are forgotten here, the caller shuts them down."""
        now = self._clock()
        stale = [v for v in self._visits if v.kernel and not v.connected_once
                 and v.sent is not None and now - v.sent >= self.grace]
        self._visits = [v for v in self._visits if v not in stale]
        return [v.kernel for v in stale]


def _limit_memory(pid: int, mebibytes: int) -> None:
    """Cap the memory a kernel may allocate (its data segment and private mappings,
    not the libraries it shares): past it, an allocation fails with MemoryError in
    that kernel instead of the machine swapping for everyone."""
    import resource

    limit = mebibytes * 1024 * 1024
    resource.prlimit(pid, resource.RLIMIT_DATA, (limit, limit))


class KitKernelManager(AsyncMappingKernelManager):
    """Kernels for ``python -m kit serve``: a budget of visitors' kernels, the cull
    of those whose page never connected, and a memory ceiling per kernel (Linux)."""

    max_kernels = Integer(MAX_KERNELS, config=True, help="Pages open at once, overall.")
    max_kernels_per_address = Integer(MAX_KERNELS_PER_ADDRESS, config=True,
                                      help="Pages open at once from one client address.")
    connect_grace = Float(CONNECT_GRACE, config=True,
                          help="Seconds a page may take to connect to its kernel once sent.")
    kernel_memory_mib = Integer(KERNEL_MEMORY_MIB, config=True,
                                help="Memory each kernel may allocate, MiB (Linux; 0: no limit).")
    budget = Instance(KernelBudget)

    @default("budget")
    def _default_budget(self) -> KernelBudget:
        return KernelBudget(self.max_kernels, self.max_kernels_per_address, self.connect_grace)

    async def start_kernel(self, *args, **kwargs) -> str:
        kernel_id = await super().start_kernel(*args, **kwargs)
        pid = getattr(self.get_kernel(kernel_id).provisioner, "pid", None)
        if self.kernel_memory_mib and pid and sys.platform.startswith("linux"):
            try:
                _limit_memory(pid, self.kernel_memory_mib)
            except (OSError, ValueError) as error:  # the kernel ended meanwhile, or no permission
                self.log.warning("Could not cap the memory of kernel %s: %s", kernel_id, error)
        return kernel_id

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self.budget.connected(kernel_id)

    def notify_disconnect(self, kernel_id: str) -> None:
        super().notify_disconnect(kernel_id)
        self.budget.disconnected(kernel_id)

    async def shut_down(self, kernels: list[str], why: str) -> None:
        for kernel_id in kernels:
            if kernel_id in self:
                self.log.info("Shutting down kernel %s: %s", kernel_id, why)
                await self.shutdown_kernel(kernel_id)

    async def cull_kernels(self) -> None:
        self.budget.keep(set(self.list_kernel_ids()))
        await self.shut_down(self.budget.unconnected(), "its page never connected")
        await super().cull_kernels()


class QuietChannels(ZMQChannelsWebsocketConnection):
    """The kernel websocket without what is meant for a developer: stderr streams
    (log lines, tracebacks of a comm message the kernel could not handle) and
    error messages are dropped on their way to the browser."""

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        if getattr(stream, "channel", stream) == "iopub":
            _, parts = self.session.feed_identities(outgoing_msg)
            msg_type = self.session.unpack(parts[1]).get("msg_type")
            if msg_type == "error" or (msg_type == "stream"
                                       and self.session.unpack(parts[4]).get("name") == "stderr"):
                return
        super().handle_outgoing_message(stream, outgoing_msg)


_FULL_PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title>
<style>
  body {{ font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
         max-width: 40em; margin: 4em auto; padding: 0 1em; line-height: 1.8; color: #222; }}
  h1 {{ font-size: 1.4em; }}
  .kit-full {{ border-left: 4px solid #e0a800; background: #fff8e1; padding: .8em 1em; }}
  a {{ color: #0b57d0; }}
</style></head>
<body><main class="kit-full-page">
<h1>{title}</h1>
<p class="kit-full">{reason}</p>
<p>これまでの作業は保存されています。{advice}</p>
<p><a href="{again}">このページを開き直す</a></p>
</main></body></html>
"""


def full_page(mine: bool, again: str) -> str:
    """The page a visitor gets when no kernel can be given (no kernel is started)."""
    if mine:
        title = "開いているページが多すぎます"
        reason = ("このパソコンから、キットのページがたくさん開かれています。"
                  "サーバーには決まった数のページまでしか同時に開けません。")
        advice = "使っていないキットのタブを閉じてから、開き直してください。"
    else:
        title = "ただいま満員です"
        reason = "サーバーが同時に開けるページの数がいっぱいです。"
        advice = "1分ほど待ってから開き直すか、ファシリテーターに声をかけてください。"
    return _FULL_PAGE.format(title=title, reason=reason, advice=advice, again=html.escape(again, quote=True))


class _Recording:
    """The kernel manager as one page request sees it: the kernel it is given is
    recorded against the request's visit."""

    def __init__(self, manager: KitKernelManager, visit: Visit):
        self._manager, self._visit = manager, visit

    def __getattr__(self, name):
        return getattr(self._manager, name)

    async def get_rendered_notebook(self, *args, **kwargs):
        task, rendered, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._manager.budget.bind(self._visit, kernel_id)
        return task, rendered, kernel_id

    async def start_kernel(self, *args, **kwargs) -> str:
        kernel_id = await self._manager.start_kernel(*args, **kwargs)
        self._manager.budget.bind(self._visit, kernel_id)
        return kernel_id


# What the page template writes for a cell that ran out of time. Its quotes are
# escaped in anything a participant's text can put on a page (widget state, HTML).
TIMED_OUT = 'class="kit-cell-problem kit-cell-timeout"'


class BudgetedVoilaHandler(TornadoVoilaHandler):
    """A page request within the budget, or the Japanese 'server full' page. The
    kernel of a page whose cell ran out of time is shut down once the page is
    sent: it would go on with that work, unbounded, for a page that cannot use it."""

    _visit: Visit | None = None
    _timed_out = False

    def write(self, chunk) -> None:
        if isinstance(chunk, str) and TIMED_OUT in chunk:
            self._timed_out = True
        super().write(chunk)

    @property
    def kernel_manager(self):
        manager = super().kernel_manager
        if self._visit is None or not isinstance(manager, KitKernelManager):
            return manager
        return _Recording(manager, self._visit)

    @authenticated
    async def get(self, path=None):
        manager = super().kernel_manager
        if not isinstance(manager, KitKernelManager):
            return await super().get(path)
        manager.budget.keep(set(manager.list_kernel_ids()))
        try:
            self._visit, given_up = manager.budget.admit(self.request.remote_ip)
        except Full as full:
            self.log.warning("Server full (%s): no page for %s", full, self.request.remote_ip)
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(full_page(full.mine, self.request.uri))
            return
        try:
            await manager.shut_down(given_up, "its page went away and the room needs it")
            await super().get(path)
        finally:
            manager.budget.sent(self._visit)
        if self._timed_out and self._visit.kernel:
            await manager.shut_down([self._visit.kernel], "a cell of its page ran out of time")


class KitVoila(Voila):
    """Voilà serving pages through :class:`BudgetedVoilaHandler`."""

    def init_handlers(self) -> list:
        return [(handler[0], BudgetedVoilaHandler, *handler[2:]) if handler[1] is TornadoVoilaHandler else handler
                for handler in super().init_handlers()]
