// The owner's dashboard: one JSON summary, drawn with Chart.js (vendored, MIT licence).
// Visitors' words reach the page only through textContent: never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
// Direction overrides in a visitor's text would reorder what the owner reads: drop them.
const plain = (text) => String(text).replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g, "");
const charts = {};
const BLUE = "#1f6feb", ORANGE = "#d97706", GREEN = "#1a7f37", RED = "#cf222e", GREY = "#8c959f";

function fmt(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits });
}
const pct = (value) => (value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`);
const usd = (value) => (value === null || value === undefined ? "–" : `$${Number(value).toFixed(4)}`);
const interval = (pair, show = fmt) => (pair ? `${show(pair[0])}–${show(pair[1])}` : "–");

function label(t, step) {
  const d = new Date(t * 1000);
  return step < 86400
    ? d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit" })
    : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
    interaction: { mode: "index", intersect: false } }, config.options || {});
  charts[id] = new Chart($(id), config);
}

function cards(totals) {
  const box = $("cards");
  box.replaceChildren();
  const items = [
    ["Requests", fmt(totals.requests)],
    ["Tokens", fmt(totals.prompt_tokens + totals.completion_tokens)],
    ["Cost", usd(totals.cost_usd)],
    ["Latency p50", `${fmt(totals.latency_p50_ms)} ms`],
    ["Latency p95", `${fmt(totals.latency_p95_ms)} ms`],
    ["First token p50", `${fmt(totals.ttft_p50_ms)} ms`],
    ["Cache hits", pct(totals.cache_hit_rate)],
    ["Fallbacks", pct(totals.fallback_rate)],
    ["Errors", pct(totals.error_rate)],
    ["Declined", fmt(totals.declines)],
    ["Feedback (up / down)", `${totals.feedback.up} / ${totals.feedback.down}`],
  ];
  for (const [name, value] of items) {
    const card = document.createElement("div");
    card.className = "card";
    const v = document.createElement("div");
    v.className = "value";
    v.textContent = value;
    const l = document.createElement("div");
    l.className = "label";
    l.textContent = name;
    card.append(v, l);
    box.append(card);
  }
}

function timeCharts(timeline) {
  const labels = timeline.points.map((p) => label(p.t, timeline.step_seconds));
  const series = (key) => timeline.points.map((p) => p[key]);
  draw("chart-requests", {
    data: { labels, datasets: [
      { type: "bar", label: "requests", data: series("requests"), backgroundColor: BLUE, yAxisID: "y" },
      { type: "line", label: "tokens", data: series("tokens"), borderColor: ORANGE, backgroundColor: ORANGE, yAxisID: "y1", pointRadius: 0 },
    ] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "requests" } },
      y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "tokens" } } } },
  });
  draw("chart-cost", { type: "bar", data: { labels, datasets: [
    { label: "USD", data: series("cost_usd"), backgroundColor: GREEN }] },
    options: { scales: { y: { beginAtZero: true } } } });
  draw("chart-latency", { type: "line", data: { labels, datasets: [
    { label: "p50", data: series("latency_p50_ms"), borderColor: BLUE, backgroundColor: BLUE, spanGaps: true },
    { label: "p95", data: series("latency_p95_ms"), borderColor: RED, backgroundColor: RED, spanGaps: true }] },
    options: { scales: { y: { beginAtZero: true } } } });
  draw("chart-cache", { type: "line", data: { labels, datasets: [
    { label: "hit rate", data: series("cache_hit_rate").map((v) => (v === null ? null : v * 100)),
      borderColor: GREEN, backgroundColor: GREEN, spanGaps: true }] },
    options: { scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "%" } } } } });
}

function comparison(totals, experiment) {
  // Experiment variants when there are any; otherwise the models that answered.
  const variants = Object.entries(totals.variants);
  const groups = variants.length ? variants : Object.entries(totals.models);
  $("compare-caption").textContent = variants.length
    ? "Experiment variants (95% intervals in the table)"
    : experiment
      ? `Models (experiment ${experiment.name} is set: no answers from its variants in this window yet)`
      : "Models (no experiment in this window)";
  const names = groups.map(([name]) => name);
  draw("chart-variants", { type: "bar", data: { labels: names, datasets: [
    { label: "latency p50 (ms)", data: groups.map(([, g]) => g.latency_p50_ms), backgroundColor: BLUE, yAxisID: "y" },
    { label: "latency p95 (ms)", data: groups.map(([, g]) => g.latency_p95_ms), backgroundColor: RED, yAxisID: "y" },
    { label: "requests", data: groups.map(([, g]) => g.requests), backgroundColor: GREY, yAxisID: "y1" }] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "ms" } },
      y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "requests" } } } } });
  const rows = groups.map(([name, g]) => [name, fmt(g.requests), `${fmt(g.latency_p50_ms)} / ${fmt(g.latency_p95_ms)}`,
    interval(g.latency_mean_ci95), usd(g.cost_per_answer_usd ?? (g.requests ? g.cost_usd / g.requests : null)),
    fmt(g.declines), interval(g.decline_rate_ci95, pct),
    g.feedback ? `${g.feedback.up} up / ${g.feedback.down} down` : "–", interval(g.thumbs_up_ci95, pct)]);
  table($("variants-table"), ["", "n", "p50 / p95 ms", "mean ms, 95%", "cost / answer", "declined",
    "decline rate, 95%", "feedback", "up rate, 95%"], rows, "No answers in this window.");
}

function table(node, headings, rows, empty) {
  node.replaceChildren();
  const head = node.createTHead().insertRow();
  for (const h of headings) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = node.createTBody();
  if (!rows.length) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = headings.length;
    cell.className = "empty";
    cell.textContent = empty;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) {
      const cell = tr.insertCell();
      if (value instanceof Node) cell.append(value);
      else cell.textContent = plain(value ?? "–");
      if (!(value instanceof Node) && String(value ?? "").length <= 24) cell.className = "short";
    }
  }
}

function folded(text, length = 160) {
  if (!text) return document.createTextNode("(not kept)");
  text = plain(text);
  if (text.length <= length) return document.createTextNode(text);
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = text.slice(0, length) + "…";
  const rest = document.createElement("div");
  rest.textContent = text;
  details.append(summary, rest);
  return details;
}

const when = (t) => new Date(t * 1000).toLocaleString();
const rating = (r) => (r > 0 ? "up" : r < 0 ? "down" : "");

function lists(data) {
  table($("recent"), ["when", "question", "answer", "how", "model", "ms", "feedback"],
    data.recent.map((r) => [when(r.created_at), folded(r.question), folded(r.answer),
      r.cached ? `${r.outcome} (cached)` : r.outcome, r.variant ? `${r.model} [${r.variant}]` : r.model,
      fmt(r.latency_ms), rating(r.rating)]), "No questions yet.");
  table($("gaps"), ["asked", "question", "also asked as"],
    data.gaps.map((g) => {
      const others = g.examples.filter((e) => e !== g.question).join(" · ");
      return [`${g.count}×`, folded(g.question), others ? folded(others, 120) : ""];
    }),
    data.questions_kept ? "Every question in this window was covered."
      : "Questions are not kept (TWIN_LOG_QUESTIONS=false), so there are none to list.");
  $("leads-h").textContent = data.leads_total > data.leads.length
    ? `Leads (the newest ${data.leads.length} of ${data.leads_total}; \`twin leads\` lists them all)` : "Leads";
  table($("leads"), ["when", "name", "email", "company", "message", "what they asked"],
    data.leads.map((l) => [when(l.created_at), l.name, l.email, l.company, folded(l.message),
      l.questions.length ? folded(l.questions.join(" · ")) : "–"]), "No one has left their details yet.");
}

async function load() {
  $("status").textContent = "Loading…";
  const res = await fetch(`/dashboard/api/summary?hours=${$("window").value}`, { credentials: "same-origin" });
  if (res.status === 401) { window.location.reload(); return; }
  if (!res.ok) { $("status").textContent = `The summary did not load (${res.status}).`; return; }
  const data = await res.json();
  if (data.owner) { $("title").textContent = `${data.owner}'s twin · dashboard`; document.title = $("title").textContent; }
  cards(data.totals);
  timeCharts(data.timeline);
  comparison(data.totals, data.experiment);
  lists(data);
  $("status").textContent = `Updated ${new Date().toLocaleTimeString()}.`;
}

document.addEventListener("DOMContentLoaded", () => {
  $("window").addEventListener("change", load);
  load().catch((err) => { $("status").textContent = `The summary did not load: ${err.message}`; });
});
