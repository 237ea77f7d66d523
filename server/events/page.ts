// /dev/events: a plain page that watches /dev/events/ws and keeps a live table. No build step.
export const EVENTS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>实时事件 · shiming</title>
<style>
  body { font: 14px/1.45 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; }
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
</style>
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
<table>
  <thead><tr><th>时间</th><th>节点</th><th>类型</th><th>详情</th></tr></thead>
  <tbody id="rows"></tbody>
</table>
<script>
(function () {
  var rows = document.getElementById("rows"), statusEl = document.getElementById("status");
  var kindEl = document.getElementById("kind"), countEl = document.getElementById("count");
  var params = new URLSearchParams(location.search);
  var token = params.get("token") || "";
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
  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/dev/events/ws?last=500" +
      (token ? "&token=" + encodeURIComponent(token) : "");
    ws = new WebSocket(url);
    ws.onopen = function () { retry = 0; statusEl.textContent = "实时"; statusEl.className = "live"; };
    ws.onmessage = function (m) {
      var f = JSON.parse(m.data);
      if (f.type === "history") { rows.textContent = ""; f.events.forEach(function (e) { add(e, false); }); }
      else if (f.type === "event") { if (paused) held.push(f.event); else add(f.event, true); }
    };
    ws.onclose = function () {
      statusEl.textContent = "已断开，重连中…"; statusEl.className = "down";
      setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retry++)));
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
  connect();
})();
</script>
</body>
</html>
`;
