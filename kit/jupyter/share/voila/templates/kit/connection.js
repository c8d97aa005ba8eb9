// The page's connection to its server, said honestly (included by index.html.j2).
//
// A page works only while its kernel lives and its websocket is open. When the
// server stops or the kernel dies, a banner says so at once, the page stops
// taking input (nothing typed then could be saved) and no 「保存しました」 or
// 「自動保存」 stays on screen. What was typed into a box marked kit-keep and not
// yet saved is kept in this tab (sessionStorage) and put back after a reload;
// the kernel marks a box saved with kit-sent-<hash> (kit/ui/saving.py).
(function () {
  "use strict";
  var leaving = false;
  var lost = null;  // why the connection was lost, once it was
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });

  var TEXTS = {
    server: "サーバーとの接続が切れました。このページではいま入力も保存もできません。"
      + "保存されていなかった入力は、このブラウザに控えてあります。"
      + "サーバーが動いていることを確かめてから「再読み込み」を押すと、控えた入力が戻ります。",
    kernel: "サーバーとの接続が切れました（このページの処理が止まりました）。このページではいま入力も保存もできません。"
      + "保存されていなかった入力は、このブラウザに控えてあります。「再読み込み」を押すと、控えた入力が戻ります。"
  };

  function banner(reason) {
    var box = document.getElementById("kit-connection");
    if (!box) {
      box = document.createElement("div");
      box.id = "kit-connection";
      box.setAttribute("role", "alert");
      var text = document.createElement("span");
      text.className = "kit-connection-text";
      var reload = document.createElement("button");
      reload.type = "button";
      reload.textContent = "再読み込み";
      reload.addEventListener("click", function () { window.location.reload(); });
      box.appendChild(text);
      box.appendChild(reload);
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.querySelector(".kit-connection-text").textContent = TEXTS[reason];
  }

  function disconnected(reason) {
    if (leaving || lost === "kernel") { return; }
    lost = reason;
    document.body.classList.add("kit-disconnected");
    var cells = document.getElementById("rendered_cells");
    if (cells) { cells.inert = true; }
    if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
    banner(reason);
  }

  function reconnected() {
    // A websocket opened again to the same kernel (a network hiccup): the page works.
    if (lost !== "server") { return; }
    lost = null;
    document.body.classList.remove("kit-disconnected");
    var cells = document.getElementById("rendered_cells");
    if (cells) { cells.inert = false; }
    var box = document.getElementById("kit-connection");
    if (box) { box.parentNode.removeChild(box); }
  }

  // The kernel's websocket, watched from inside: Voilà's script (loaded after this
  // one) opens it with the WebSocket constructor it finds here.
  var Native = window.WebSocket;
  var DEAD = /"msg_type"\s*:\s*"status"[\s\S]*"execution_state"\s*:\s*"(restarting|autorestarting|dead)"/;
  var decoder = new TextDecoder();

  function inspect(text) {
    if (DEAD.test(text)) { disconnected("kernel"); }
  }

  function watch(socket) {
    socket.addEventListener("message", function (event) {
      var data = event.data;
      if (typeof data === "string") {
        if (data.length < 4096) { inspect(data); }
      } else if (data instanceof ArrayBuffer) {
        if (data.byteLength < 4096) { inspect(decoder.decode(data)); }
      } else if (data && data.size < 4096 && data.text) {
        data.text().then(inspect);
      }
    });
    socket.addEventListener("open", reconnected);
    socket.addEventListener("close", function () {
      // Unloading closes it too; that is no lost connection.
      setTimeout(function () { disconnected("server"); }, 0);
    });
  }

  function Watched(url, protocols) {
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (/\/api\/kernels\/[^/?]+\/channels/.test(String(url))) { watch(socket); }
    return socket;
  }
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) { Watched[name] = Native[name]; });
  window.WebSocket = Watched;

  // --- typing kept until saved ---------------------------------------------------------
  var PREFIX = "kit-unsent:" + window.location.pathname + window.location.search + ":";

  function hash(text) {  // FNV-1a over UTF-16 code units, as kit.ui.saving.text_hash
    var value = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    return ("0000000" + value.toString(16)).slice(-8);
  }

  function marked(wrapper, prefix) {
    for (var i = 0; i < wrapper.classList.length; i++) {
      var name = wrapper.classList[i];
      if (name.indexOf(prefix) === 0) { return name.slice(prefix.length); }
    }
    return "";
  }

  function fieldOf(wrapper) {
    return wrapper.querySelector("textarea, input[type=text], input:not([type])");
  }

  function pending(wrapper) {
    try {
      return JSON.parse(window.sessionStorage.getItem(PREFIX + marked(wrapper, "kit-keep-")) || "null");
    } catch (error) {
      return null;
    }
  }

  function forget(wrapper) {
    try { window.sessionStorage.removeItem(PREFIX + marked(wrapper, "kit-keep-")); } catch (error) { /* none kept */ }
  }

  document.addEventListener("input", function (event) {
    var wrapper = event.target.closest && event.target.closest(".kit-keep");
    if (!wrapper || lost) { return; }
    var entry = { value: event.target.value, base: marked(wrapper, "kit-base-") };
    try {
      window.sessionStorage.setItem(PREFIX + marked(wrapper, "kit-keep-"), JSON.stringify(entry));
    } catch (error) { /* storage full: the text is still in the box */ }
  }, true);

  function notice(text, kept) {
    var box = document.getElementById("kit-restored") || document.createElement("div");
    box.id = "kit-restored";
    box.setAttribute("role", "status");
    box.textContent = text;
    if (kept) {
      var area = document.createElement("textarea");
      area.readOnly = true;
      area.value = kept;
      box.appendChild(area);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = kept ? "閉じる（この控えを捨てる）" : "閉じる";
    close.addEventListener("click", function () { box.parentNode.removeChild(box); });
    box.appendChild(close);
    if (!box.parentNode) { document.body.insertBefore(box, document.body.firstChild); }
  }

  // A kept box that appears (the page loaded, or a part of it was redrawn) gets its
  // unsaved text back when the stored text is still the one it was typed over;
  // otherwise someone saved in between, and the text is offered to copy instead.
  function restore(wrapper) {
    var field = fieldOf(wrapper);
    var entry = pending(wrapper);
    if (!field || !entry || entry.value === field.value) { return; }
    forget(wrapper);
    if (entry.base !== marked(wrapper, "kit-base-")) {
      notice("この欄に入力していた文章が保存されないまま、別のPCで内容が変わりました。控えをコピーして使ってください。",
             entry.value);
      return;
    }
    field.value = entry.value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    notice("接続が切れる前に入力して、まだ保存されていなかった文章を戻しました。", "");
  }

  var scanning = false;

  function scan() {
    scanning = false;
    document.querySelectorAll(".kit-keep:not([data-kit-seen])").forEach(function (wrapper) {
      if (!fieldOf(wrapper)) { return; }
      wrapper.setAttribute("data-kit-seen", "1");
      restore(wrapper);
    });
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      var wrapper = mutation.target;
      if (mutation.type === "attributes" && wrapper.classList.contains("kit-keep")) {
        var entry = pending(wrapper);
        if (entry && hash(entry.value) === marked(wrapper, "kit-sent-")) { forget(wrapper); }
      }
    });
    // Views get their classes and values as they are built: look once they settle.
    if (!scanning) {
      scanning = true;
      setTimeout(scan, 0);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["class"] });
})();
