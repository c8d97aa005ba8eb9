"""Voilà must never run code sent from the browser: only widget (comm) traffic and
kernel info may reach a page's kernel. The attack is made from the page itself, as
any script in a participant's browser could."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# The start of each attack: a shell-channel message maker and an open websocket to
# the page's kernel (``url``), and ``seen``, what came back.
_OPEN_SHELL = """  const message = (type, content) => JSON.stringify({
    header: {msg_id: crypto.randomUUID(), msg_type: type, session: crypto.randomUUID(),
             username: "attacker", version: "5.3", date: ""},
    parent_header: {}, metadata: {}, content: content, buffers: [], channel: "shell"});
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const seen = [];
"""

# Sends an execute_request, then a kernel_info_request, and collects the message
# types received up to the kernel_info_reply. The shell channel answers in order,
# so code that had been run would have been answered before the info reply.
SEND_CODE = """
async ([url, code]) => {
""" + _OPEN_SHELL + """  const done = new Promise(resolve => {
    socket.onmessage = event => {
      const type = JSON.parse(event.data).header.msg_type;
      seen.push(type);
      if (type === "kernel_info_reply") resolve();
    };
  });
  socket.send(message("execute_request", {code: code, silent: false, store_history: false,
    user_expressions: {}, allow_stdin: false, stop_on_error: true}));
  socket.send(message("kernel_info_request", {}));
  await done;
  socket.close();
  return seen;
}
"""


def test_kernel_refuses_code_from_the_browser(kit_server, offline_page, tmp_path):
    page = offline_page.open(kit_server.page("00_start.ipynb"))
    marker = tmp_path / "executed"
    url = kit_server.url.replace("http", "ws") + f"/api/kernels/{offline_page.kernel_id()}/channels"

    seen = page.evaluate(SEND_CODE, [url, f"open({str(marker)!r}, 'w').write('ran')"])

    assert "kernel_info_reply" in seen  # the channel works ...
    assert "execute_reply" not in seen  # ... but code is never run
    assert not marker.exists()


# Sends what a page's kernel cannot handle (a message for a comm that does not
# exist, a comm for a target nobody registered, a widget comm without its
# protocol version) and collects every message received until the kernel has
# closed both comms: the kernel answers them with log lines and tracebacks on
# stderr, after which it closes each comm.
SEND_UNKNOWN_COMMS = """
async (url) => {
""" + _OPEN_SHELL + """  let closed = 0;
  const done = new Promise(resolve => {
    socket.onmessage = event => {
      seen.push(event.data);
      if (JSON.parse(event.data).header.msg_type === "comm_close" && ++closed === 2) resolve();
    };
  });
  socket.send(message("comm_msg", {comm_id: "no-such-comm", data: {}}));
  socket.send(message("comm_open", {comm_id: crypto.randomUUID(), target_name: "no.such.target", data: {}}));
  socket.send(message("comm_open", {comm_id: crypto.randomUUID(), target_name: "jupyter.widget", data: {}}));
  await done;
  socket.close();
  return seen;
}
"""


def test_kernel_tracebacks_never_reach_the_browser(kit_server, offline_page):
    page = offline_page.open(kit_server.page("00_start.ipynb"))
    url = kit_server.url.replace("http", "ws") + f"/api/kernels/{offline_page.kernel_id()}/channels"

    received = "\n".join(page.evaluate(SEND_UNKNOWN_COMMS, url))

    assert '"comm_close"' in received  # the kernel did answer ...
    for leak in ("Traceback", "No such comm", "Exception opening comm", ".py"):
        assert leak not in received  # ... but nothing meant for a developer came with it
