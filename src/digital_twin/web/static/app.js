// The chat page. Everything a visitor or the twin writes is inserted as text or as
// elements built here, never as HTML: no answer or question can inject markup or script.
"use strict";

const $ = (id) => document.getElementById(id);
let sessionId = null;
let answered = 0;
const CONTACT_AFTER = 2; // answers before the page offers to pass on the visitor's details

// When the owner sets TWIN_API_TOKEN, the page asks for it once (kept for this tab only).
function headers() {
  const h = { "content-type": "application/json" };
  const token = sessionStorage.getItem("twin-token");
  if (token) h.authorization = "Bearer " + token;
  return h;
}

async function post(path, body) {
  let res = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (res.status === 401) {
    const token = window.prompt("This twin needs an access token:");
    if (token) {
      sessionStorage.setItem("twin-token", token.trim());
      res = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
    }
  }
  return res;
}

// A small, safe Markdown subset: paragraphs, bullet lists, **bold**, *italic*, `code`.
function renderMarkdown(container, text) {
  container.replaceChildren();
  const blocks = text.split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split("\n");
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      const ul = document.createElement("ul");
      for (const l of lines) {
        const li = document.createElement("li");
        appendInline(li, l.replace(/^\s*[-*] /, ""));
        ul.append(li);
      }
      container.append(ul);
    } else {
      const p = document.createElement("p");
      appendInline(p, block);
      container.append(p);
    }
  }
}

function appendInline(parent, text) {
  const pattern = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parent.append(document.createTextNode(text.slice(last, match.index)));
    const token = match[0];
    const tag = token.startsWith("**") ? "strong" : token.startsWith("`") ? "code" : "em";
    const el = document.createElement(tag);
    el.textContent = token.replace(/^\*\*|\*\*$|^\*|\*$|^`|`$/g, "");
    parent.append(el);
    last = match.index + token.length;
  }
  parent.append(document.createTextNode(text.slice(last)));
}

function addYou(question) {
  const el = document.createElement("div");
  el.className = "msg you";
  el.textContent = question;
  $("log").append(el);
}

function addTwin() {
  const node = $("answer-template").content.firstElementChild.cloneNode(true);
  $("log").append(node);
  return node;
}

function showSources(node, sources) {
  const list = node.querySelector(".sources ol");
  for (const s of sources) {
    const li = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = s.title;
    const from = document.createElement("span");
    from.textContent = ` (${s.source}): `;
    const text = document.createElement("span");
    text.textContent = s.text;
    li.append(title, from, text);
    list.append(li);
  }
  node.querySelector(".sources").hidden = sources.length === 0;
}

function enableFeedback(node, question, answer, answerId) {
  const box = node.querySelector(".feedback");
  box.hidden = false;
  for (const [cls, rating] of [["up", 1], ["down", -1]]) {
    box.querySelector("." + cls).addEventListener("click", async () => {
      const res = await post("/api/feedback", { question, answer, rating, session_id: sessionId, answer_id: answerId });
      if (res.ok) {
        box.querySelectorAll("button").forEach((b) => (b.disabled = true));
        box.querySelector(".thanks").hidden = false;
      }
    });
  }
}

// Parse a text/event-stream body read with fetch (EventSource cannot POST).
async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message", data = "";
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (data) yield { event, data: JSON.parse(data) };
    }
  }
}

async function ask(question) {
  question = question.trim();
  if (!question) return;
  addYou(question);
  const node = addTwin();
  const body = node.querySelector(".body");
  $("send").disabled = true;
  $("status").textContent = "Thinking…";
  let text = "";
  let answerId = null;
  try {
    const res = await post("/api/query/stream", { question, session_id: sessionId });
    if (!res.ok) {
      const err = await res.json().catch(() => ({ error: res.statusText }));
      throw new Error(err.error || res.statusText);
    }
    for await (const { event, data } of readEvents(res)) {
      if (event === "token") { text += data.text; renderMarkdown(body, text); reveal(node); }
      else if (event === "reset") { text = ""; }
      else if (event === "sources") showSources(node, data.sources);
      else if (event === "usage") { sessionId = data.session_id; answerId = data.answer_id; text = data.answer; renderMarkdown(body, text); }
      else if (event === "error") throw new Error(data.error);
      else if (event === "done") { enableFeedback(node, question, text, answerId); offerContact(); }
    }
    $("status").textContent = "";
  } catch (err) {
    node.classList.add("error");
    body.textContent = "Sorry, that didn't work: " + err.message;
    $("status").textContent = "";
  } finally {
    $("send").disabled = false;
    reveal(node);
  }
}

// Scroll so the whole answer sits above the sticky question box (its top first when it is
// taller than the space there).
function reveal(node) {
  const box = node.getBoundingClientRect();
  const limit = $("ask-form").getBoundingClientRect().top - 8;
  const below = box.bottom - limit;
  if (below > 0) window.scrollBy(0, Math.min(below, Math.max(0, box.top - 8)));
}

function offerContact() {
  answered += 1;
  if (answered === CONTACT_AFTER) $("contact-form").hidden = false;
}

async function sendContact(e) {
  e.preventDefault();
  const body = { name: $("contact-name").value, email: $("contact-email").value,
                 company: $("contact-company").value || null,
                 message: $("contact-message").value, session_id: sessionId };
  $("contact-send").disabled = true;
  const res = await post("/api/contact", body);
  if (res.ok) {
    for (const el of $("contact-form").querySelectorAll("label, button")) el.hidden = true;
    $("contact-status").textContent = "Thank you: I have your details and will be in touch.";
  } else {
    const err = await res.json().catch(() => ({ error: res.statusText }));
    $("contact-status").textContent = "That didn't go through: " + (err.error || res.statusText);
    $("contact-send").disabled = false;
  }
}

async function loadProfile() {
  const res = await fetch("/api/profile", { headers: headers() });
  if (!res.ok) return;
  const p = await res.json();
  if (p.name) { $("owner-name").textContent = p.name; document.title = `${p.name} · Digital Twin`; }
  $("owner-title").textContent = p.title || "";
  $("owner-summary").textContent = p.summary || "";
  for (const q of p.suggested_questions || []) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = q;
    b.addEventListener("click", () => ask(q));
    li.append(b);
    $("suggestions").append(li);
  }
}

// Fit for a job: the posting's requirements, each with its verdict and the quoted evidence.
function cell(row, text, cls, label) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  td.dataset.label = label;
  row.append(td);
  return td;
}

async function checkFit(e) {
  e.preventDefault();
  const posting = $("posting").value;
  $("fit-send").disabled = true;
  $("fit-status").textContent = "Reading the posting…";
  try {
    const res = await post("/api/fit", { posting });
    const data = await res.json().catch(() => ({ error: res.statusText }));
    if (res.status === 413) {
      $("fit-status").textContent = "That posting is too long to send from this page: paste its requirements and responsibilities only.";
      return;
    }
    if (!res.ok) {
      $("fit-status").textContent = (data.error || res.statusText) + (data.hint ? " " + data.hint : "");
      return;
    }
    $("fit-status").textContent = "";
    $("fit-summary").textContent = data.summary;
    const rows = [];
    for (const item of data.requirements) {
      const tr = document.createElement("tr");
      cell(tr, item.requirement, "", "Requirement");
      cell(tr, item.kind, "kind", "Kind");
      cell(tr, item.verdict, "verdict " + item.verdict.replaceAll(" ", "-"), "Verdict");
      const evidence = cell(tr, "", "evidence", "Evidence");
      if (!item.evidence.length) evidence.textContent = "–";
      for (const quote of item.evidence) {
        const q = document.createElement("q");
        q.textContent = quote.text;
        const from = document.createElement("small");
        from.textContent = ` (${quote.title}, ${quote.source})`;
        const p = document.createElement("p");
        p.append(q, from);
        evidence.append(p);
      }
      rows.push(tr);
    }
    $("fit-rows").replaceChildren(...rows);
    $("fit-result").hidden = false;
  } catch (err) {
    $("fit-status").textContent = "That didn't go through: " + err.message;
  } finally {
    $("fit-send").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  loadProfile();
  $("fit-form").addEventListener("submit", checkFit);
  $("contact-form").addEventListener("submit", sendContact);
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = $("question").value;
    $("question").value = "";
    ask(q);
  });
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("ask-form").requestSubmit(); }
  });
});
