// Fleetgen dashboard: one server-sent event stream of snapshots (/api/events), rate history on load
// (/api/history). No build step; uPlot comes from its WebJar.
(function () {
  "use strict";
  const MAX_POINTS = 600;        // 5 minutes at two snapshots a second
  const MAX_CHARTS = 12;
  const series = new Map();      // run key -> [[t], [tx pps], [rx pps], [tx bit/s], [rx bit/s]]
  const charts = new Map();      // run key -> {plot, el}
  let source = null;

  const $ = (sel) => document.querySelector(sel);
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g,
      (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));
  const num = (n) => n == null ? "" : Number(n).toLocaleString("en-US");
  const si = (n) => {
    if (n == null || !isFinite(n)) return "";
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(2) + " G";
    if (a >= 1e6) return (n / 1e6).toFixed(2) + " M";
    if (a >= 1e3) return (n / 1e3).toFixed(1) + " k";
    return Math.round(n) + " ";
  };
  const us = (nanos) => nanos == null ? "" : (nanos / 1000).toFixed(nanos < 10000 ? 1 : 0);

  function start() {
    fetch("/api/history", {credentials: "same-origin"}).then((r) => {
      if (r.status === 401) { showLogin(); return null; }
      return r.json();
    }).then((h) => {
      if (!h) return;
      for (const [key, rows] of Object.entries(h)) {
        const s = [[], [], [], [], []];
        rows.forEach((row) => row.forEach((v, i) => s[i].push(v)));
        series.set(key, s);
      }
      connect();
    }).catch(() => setStatus("down", "service unreachable; retrying", 3000));
  }

  function connect() {
    source = new EventSource("/api/events");
    source.onmessage = (e) => render(JSON.parse(e.data));
    source.onerror = () => setStatus("down", "disconnected; reconnecting…");
  }

  function setStatus(cls, text, retryMs) {
    const el = $("#status");
    el.className = "status " + cls;
    el.textContent = text;
    if (retryMs) setTimeout(start, retryMs);
  }

  function showLogin() {
    $("#login").hidden = false;
    setStatus("down", "token needed");
    $("#login-form").onsubmit = (e) => {
      e.preventDefault();
      fetch("/api/login", {method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({token: $("#token").value})}).then((r) => {
        if (r.ok) { $("#login").hidden = true; start(); } else { $("#login-error").textContent = "not this service's token"; }
      });
    };
  }

  function render(s) {
    const when = new Date(s.time).toLocaleTimeString();
    setStatus("live", "live · " + when);
    summary(s);
    hosts(s.hosts);
    runs(s);
    rates(s);
    mesh(s.mesh);
  }

  // Rates are those between an agent's last two counter events; once a run ended they are history, not traffic.
  const isLive = (r) => r.state === "running" || r.state === "starting";

  function summary(s) {
    const alive = s.hosts.filter((h) => h.alive).length;
    const running = s.runs.filter(isLive);
    const live = running.length;
    const tx = running.reduce((a, r) => a + (r.txPps || 0), 0);
    const rx = running.reduce((a, r) => a + (r.rxPps || 0), 0);
    $("#summary").innerHTML = "<span>agents <b>" + alive + "/" + s.hosts.length + "</b></span>" +
      "<span>live runs <b>" + live + "</b></span><span>sending <b>" + si(tx) + "pps</b></span>" +
      "<span>receiving <b>" + si(rx) + "pps</b></span>" +
      (s.refusedEvents ? "<span>refused events <b>" + s.refusedEvents + "</b></span>" : "");
  }

  function hosts(list) {
    $("#hosts tbody").innerHTML = list.map((h) => "<tr data-host='" + esc(h.id) + "'><td>" + esc(h.id) + "</td><td>" +
      esc(h.management) + "</td><td class='" + (h.alive ? "alive'>alive" : "dead'>gone") + "</td><td>" +
      esc(h.liveRuns) + "</td><td>" + esc((h.addresses || []).join(" ")) + "</td><td>" + esc(h.version) +
      "</td><td>" + (h.credential ? esc(h.credential.fingerprint) + " · " + esc(h.credential.daysLeft) + " d" +
      (h.credential.expiring ? " <b class='error'>expiring</b>" : "") : "insecure") + "</td></tr>").join("");
  }

  function runs(s) {
    const loss = new Map(s.totals.map((t) => [t.run, t.lossPercent]));
    const sent = new Map();
    s.runs.filter((r) => r.role === "sender").forEach((r) =>
      (r.streams || []).forEach((c, i) => sent.set(r.name + "/" + i, (sent.get(r.name + "/" + i) || 0) + c.sent)));
    $("#no-runs").hidden = s.runs.length > 0;
    $("#runs tbody").innerHTML = s.runs.map((r) => {
      // (each run's own row, then its streams' rows)
      const c = r.counters, l = loss.get(r.name), lat = c.latency;
      const sender = r.role === "sender";
      return "<tr data-run='" + esc(r.key) + "'><td>" + esc(r.name) + "</td><td>" + esc(r.host) + "</td><td>" +
        esc(r.role) + "</td><td><span class='state " + esc(r.state) + "'>" + esc(r.state) + "</span></td>" +
        "<td class='n'>" + num(c.sent) + "</td><td class='n'>" + num(c.recv) + "</td><td class='n " +
        (l == null ? "" : l > 0 ? "loss-bad" : "loss-ok") + "'>" + (l == null ? "" : l.toFixed(2) + " %") +
        "</td><td class='n'>" + (isLive(r) ? si(sender ? r.txPps : r.rxPps) : "") + "</td><td class='n'>" +
        (isLive(r) ? si(sender ? r.txBps : r.rxBps) : "") + "</td><td class='n'>" + (sender ? "" : num(c.duplicates) + " / " +
        num(c.outOfOrder)) + "</td><td class='n'>" + (lat ? us(lat.p50Nanos) + " / " + us(lat.p99Nanos) + " / " +
        us(lat.p999Nanos) + " µs" : "") + "</td></tr>" + streamRows(r, sent);
    }).join("");
  }

  /** A run of several streams: one row per stream under the run's, its counts and (receiver) its loss. */
  function streamRows(r, sent) {
    return (r.streams || []).map((c, i) => {
      const from = r.role === "sender" ? null : sent.get(r.name + "/" + i);
      const l = from ? (from - c.recv) * 100 / from : null;
      return "<tr class='stream' data-run='" + esc(r.key) + "' data-stream='" + i + "'><td>↳ stream " + i +
        "</td><td></td><td></td><td></td><td class='n'>" + num(c.sent) + "</td><td class='n'>" + num(c.recv) +
        "</td><td class='n " + (l == null ? "" : l > 0 ? "loss-bad" : "loss-ok") + "'>" +
        (l == null ? "" : l.toFixed(2) + " %") + "</td><td></td><td></td><td class='n'>" +
        (r.role === "sender" ? "" : num(c.duplicates) + " / " + num(c.outOfOrder)) + "</td><td></td></tr>";
    }).join("");
  }

  function rates(s) {
    const t = s.time / 1000;
    const keys = [];
    s.runs.forEach((r) => {
      let d = series.get(r.key);
      if (!d) { d = [[], [], [], [], []]; series.set(r.key, d); }
      const on = isLive(r) ? 1 : 0;
      [t, on * r.txPps, on * r.rxPps, on * r.txBps, on * r.rxBps].forEach((v, i) => d[i].push(v));
      if (d[0].length > MAX_POINTS) d.forEach((a) => a.shift());
      keys.push(r);
    });
    // A chart per live run; a run that ends while shown keeps its chart (its last drop), until it is forgotten.
    const shown = new Set();
    keys.filter((r) => isLive(r) || charts.has(r.key)).slice(0, MAX_CHARTS)
      .forEach((r) => { shown.add(r.key); draw(r); });
    $("#no-charts").hidden = shown.size > 0;
    for (const [key, c] of charts) {
      if (!shown.has(key)) { c.plot.destroy(); c.el.remove(); charts.delete(key); }
    }
    for (const key of series.keys()) {
      if (!s.runs.some((r) => r.key === key)) series.delete(key);
    }
  }

  const fromZero = (u, min, max) => [0, max > 0 ? max * 1.15 : 1];

  function draw(r) {
    const d = series.get(r.key);
    const sender = r.role === "sender";
    const data = [d[0], sender ? d[1] : d[2], sender ? d[3] : d[4]];
    let c = charts.get(r.key);
    if (!c) {
      const el = document.createElement("div");
      el.className = "chart";
      el.dataset.key = r.key;
      el.innerHTML = "<h3>" + esc(r.name) + " · " + esc(r.host) + " · " + esc(r.role) + "</h3>";
      $("#charts").appendChild(el);
      const plot = new uPlot({
        width: 460, height: 180, legend: {live: false},
        // Rates from zero: a steady 2,000 pps is a flat line, not noise magnified to fill the chart.
        scales: {x: {time: true}, pps: {range: fromZero}, bps: {range: fromZero}},
        series: [{}, {label: sender ? "sent pps" : "received pps", stroke: "#2f6fb3", width: 2, scale: "pps"},
          {label: "bit/s", stroke: "#d9822b", width: 1.5, scale: "bps"}],
        axes: [{}, {scale: "pps", values: (u, v) => v.map(si)},
          {scale: "bps", side: 1, size: 64, grid: {show: false}, values: (u, v) => v.map(si)}],
      }, data, el);
      c = {plot: plot, el: el};
      charts.set(r.key, c);
    } else {
      c.plot.setData(data);
    }
    c.el.dataset.points = d[0].length;
    c.el.dataset.last = data[1][data[1].length - 1];
  }

  function mesh(m) {
    if (!m) return;
    const took = m.timing ? ", took " + (Math.round(m.timing.totalMillis / 100) / 10).toFixed(1) + " s" : "";
    $("#mesh-title").textContent = "(" + m.mesh + ", " + new Date(m.finishedAtMillis).toLocaleTimeString() + took +
      "; rows send, columns receive)";
    const cell = new Map(m.cells.map((c) => [c.from + ">" + c.to, c]));
    let h = "<table><thead><tr><th>from \\ to</th>" + m.hosts.map((x) => "<th>" + esc(x) + "</th>").join("") +
      "</tr></thead><tbody>";
    m.hosts.forEach((from) => {
      h += "<tr><th>" + esc(from) + "</th>";
      m.hosts.forEach((to) => {
        const c = cell.get(from + ">" + to);
        if (!c) { h += "<td class='self'>–</td>"; return; }
        const loss = c.lossPercent, hue = Math.max(0, 120 - loss * 1.2);
        const lat = c.receiver.latency;
        h += "<td class='cell' data-loss='" + loss + "' style='background:hsl(" + hue + ",65%," +
          (loss === 0 ? 82 : 70) + "%)'>" + loss.toFixed(1) + " %<br><span class='muted'>" + num(c.recv) + "/" +
          num(c.sent) + (lat ? " · " + us(lat.p50Nanos) + " µs" : "") + "</span></td>";
      });
      h += "</tr>";
    });
    $("#mesh").innerHTML = h + "</tbody></table>";
  }

  start();
})();
