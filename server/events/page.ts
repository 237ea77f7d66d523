// /dev/events: a plain page that watches /dev/events/ws and keeps a live table. No build step; its
// script and style are files of their own (the hub's CSP runs no inline script). In production the
// operator types the token once; it stays in this tab's sessionStorage, goes to the hub only in
// headers (Authorization for /dev/events/access, Sec-WebSocket-Protocol for the socket), never in a URL.
export const EVENTS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>实时事件 · shiming</title>
<link rel="stylesheet" href="/dev/events/page.css">
</head>
<body>
<header>
  <h1>实时事件</h1>
  <label>类型筛选 <input id="kind" placeholder="如 qr.*,ws.closed"></label>
  <button id="pause">暂停</button>
  <button id="clear">清空</button>
  <span id="status">连接中…</span>
  <span id="count" class="muted"></span>
</header>
<form id="auth" hidden>
  <label>操作员令牌 <input id="token" type="password" autocomplete="current-password" required></label>
  <button type="submit">进入</button>
  <span id="auth-error" role="alert"></span>
</form>
<table>
  <thead><tr><th>时间</th><th>节点</th><th>类型</th><th>详情</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script src="/dev/events/page.js"></script>
</body>
</html>
`;

export const EVENTS_STYLE = `body { font: 14px/1.45 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; }
header { position: sticky; top: 0; background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 10px 16px;
         display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
h1 { font-size: 16px; margin: 0 12px 0 0; }
input { font: inherit; padding: 3px 6px; width: 16em; }
button { font: inherit; padding: 3px 10px; }
#status { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #ddd; }
#status.live { background: #2da44e; color: #fff; }
#status.down { background: #cf222e; color: #fff; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { position: sticky; top: 49px; background: #fff; font-weight: 600; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; color: #57606a; }
td.k { white-space: nowrap; font-family: ui-monospace, monospace; }
td.d { font-family: ui-monospace, monospace; font-size: 12.5px; }
tr.qr td.k { color: #0969da; } tr.ws td.k { color: #8250df; } tr.limit td.k { color: #cf222e; }
tr.fresh { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: #fff8c5; } to { background: transparent; } }
.muted { color: #8c959f; }
#auth { padding: 24px 16px; display: flex; gap: 12px; align-items: center; }
#auth[hidden] { display: none; }
#auth-error { color: #cf222e; }
`;

export const EVENTS_SCRIPT = `(function () {
  var rows = document.getElementById("rows"), statusEl = document.getElementById("status");
  var kindEl = document.getElementById("kind"), countEl = document.getElementById("count");
  var params = new URLSearchParams(location.search);
  var authEl = document.getElementById("auth"), tokenEl = document.getElementById("token");
  var authErrorEl = document.getElementById("auth-error");
  var TOKEN_KEY = "shiming.operatorToken", token = sessionStorage.getItem(TOKEN_KEY) || "";
  kindEl.value = params.get("kind") || "";
  var paused = false, held = [], ws = null, retry = 0, MAX_ROWS = 2000;

  function matches(kind) {
    var parts = kindEl.value.split(",").map(function (p) { return p.trim(); }).filter(Boolean);
    if (!parts.length) return true;
    return parts.some(function (p) {
      var re = new RegExp("^" + p.replace(/[.+?^$(){}|[\\]\\\\]/g, "\\\\$&").replace(/\\*/g, ".*") + "$");
      return re.test(kind);
    });
  }
  function pad(n, w) { return String(n).padStart(w || 2, "0"); }
  function time(iso) {
    var d = new Date(iso);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." + pad(d.getMilliseconds(), 3);
  }
  function details(data) {
    return Object.keys(data).map(function (k) { return k + "=" + (data[k] === null ? "—" : data[k]); }).join("  ");
  }
  function add(e, fresh) {
    var tr = document.createElement("tr");
    tr.className = e.kind.split(".")[0] + (fresh ? " fresh" : "");
    tr.dataset.kind = e.kind;
    [["t", time(e.at)], ["n", e.node], ["k", e.kind], ["d", details(e.data)]].forEach(function (c) {
      var td = document.createElement("td"); td.className = c[0]; td.textContent = c[1]; tr.appendChild(td);
    });
    tr.hidden = !matches(e.kind);
    rows.insertBefore(tr, rows.firstChild);
    while (rows.childNodes.length > MAX_ROWS) rows.removeChild(rows.lastChild);
    countEl.textContent = rows.childNodes.length + " 条";
  }
  // A browser cannot set headers on a WebSocket: the token rides in Sec-WebSocket-Protocol, base64url
  // encoded beside the protocol the hub answers with (it never echoes the token one).
  function protocols() {
    if (!token) return ["shiming.events"];
    var b64 = btoa(String.fromCharCode.apply(null, new TextEncoder().encode(token)));
    return ["shiming.events", "shiming.token." + b64.replace(/[+]/g, "-").replace(/[/]/g, "_").replace(/=+$/, "")];
  }
  // May this tab watch? Asked with the token in Authorization, so a wrong one is told apart from a
  // hub that is away.
  function enter() {
    var headers = token ? { Authorization: "Bearer " + token } : {};
    fetch("/dev/events/access", { headers: headers }).then(function (r) {
      if (r.status === 401) return askToken(token ? "令牌不正确" : "");
      authEl.hidden = true;
      connect();
    }, function () {
      statusEl.textContent = "已断开，重连中…"; statusEl.className = "down";
      setTimeout(enter, Math.min(10000, 500 * Math.pow(2, retry++)));
    });
  }
  function askToken(problem) {
    sessionStorage.removeItem(TOKEN_KEY);
    token = "";
    statusEl.textContent = "需要操作员令牌"; statusEl.className = "down";
    authErrorEl.textContent = problem;
    authEl.hidden = false;
    tokenEl.focus();
  }
  authEl.onsubmit = function (e) {
    e.preventDefault();
    token = tokenEl.value.trim();
    tokenEl.value = "";
    sessionStorage.setItem(TOKEN_KEY, token);
    enter();
  };
  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/dev/events/ws?last=500";
    var opened = false;
    ws = new WebSocket(url, protocols());
    ws.onopen = function () { opened = true; retry = 0; statusEl.textContent = "实时"; statusEl.className = "live"; };
    ws.onmessage = function (m) {
      var f = JSON.parse(m.data);
      if (f.type === "history") { rows.textContent = ""; f.events.forEach(function (e) { add(e, false); }); }
      else if (f.type === "event") { if (paused) held.push(f.event); else add(f.event, true); }
    };
    ws.onclose = function () {
      statusEl.textContent = "已断开，重连中…"; statusEl.className = "down";
      // Refused before it opened (the token changed?) or dropped: ask again whether we may watch.
      setTimeout(opened ? connect : enter, Math.min(10000, 500 * Math.pow(2, retry++)));
    };
  }
  document.getElementById("pause").onclick = function () {
    paused = !paused; this.textContent = paused ? "继续" : "暂停";
    if (!paused) { held.forEach(function (e) { add(e, true); }); held = []; }
  };
  document.getElementById("clear").onclick = function () { rows.textContent = ""; countEl.textContent = ""; };
  kindEl.oninput = function () {
    Array.prototype.forEach.call(rows.childNodes, function (tr) { tr.hidden = !matches(tr.dataset.kind); });
  };
  enter();
})();
`;
