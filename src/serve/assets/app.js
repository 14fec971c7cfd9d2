// cerca's page: asks the JSON API and builds the page from its answers. Every field of a
// document (title, passage, path, URL) enters the page as text (textContent), never as markup;
// a URL becomes a link only if its scheme is http or https. The state of a search lives in the
// address (?q=…&lang=…), so the back button and a copied link bring it back.
"use strict";

const $ = (id) => document.getElementById(id);
const form = $("search"), box = $("q"), statusLine = $("status"), results = $("results");
const docView = $("doc"), docText = $("doctext"), list = $("list");
const filters = { lang: $("lang"), source: $("source"), since: $("since"), until: $("until") };
const newest = $("newest");
const encoder = new TextEncoder(), decoder = new TextDecoder();
let opener = null; // the link that opened the document view, focused again on closing it

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

// `text` from byte `from` to byte `to`, with the byte ranges `highlights` (UTF-8 offsets, as
// the API gives them) in <mark>. Out-of-range or overlapping ranges are skipped.
function marked(text, highlights, from, to) {
  const bytes = encoder.encode(text);
  from = from || 0;
  to = to === undefined ? bytes.length : Math.min(to, bytes.length);
  const out = document.createDocumentFragment();
  let at = from;
  for (const h of highlights || []) {
    if (h.start < at || h.end > to || h.end <= h.start) continue;
    out.append(decoder.decode(bytes.subarray(at, h.start)));
    out.append(el("mark", null, decoder.decode(bytes.subarray(h.start, h.end))));
    at = h.end;
  }
  out.append(decoder.decode(bytes.subarray(at, to)));
  return out;
}

// A link to `url` if it is http(s), else nothing.
function safeLink(url, label) {
  let parsed;
  try { parsed = new URL(url); } catch (_) { return null; }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  const a = el("a", null, label);
  a.href = parsed.href;
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  return a;
}

function say(text, isError) {
  statusLine.textContent = text;
  statusLine.classList.toggle("error", !!isError);
}

async function api(path, params) {
  const url = path + "?" + new URLSearchParams(params).toString();
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body;
  try { body = await response.json(); } catch (_) { body = { error: response.statusText }; }
  if (!response.ok) {
    const e = new Error(body.error || ("HTTP " + response.status));
    e.status = response.status;
    throw e;
  }
  return body;
}

// The search the form and the address describe.
function wanted() {
  const p = { q: box.value.trim() };
  for (const [name, input] of Object.entries(filters)) {
    if (input.value.trim()) p[name] = input.value.trim();
  }
  if (newest.checked) p.sort = "date";
  return p;
}

function fromAddress() {
  const p = new URLSearchParams(location.search);
  box.value = p.get("q") || "";
  for (const [name, input] of Object.entries(filters)) input.value = p.get(name) || "";
  newest.checked = p.get("sort") === "date";
  return p;
}

let generation = 0; // answers to an older search than the last one are dropped

async function search(extra, push) {
  const p = Object.assign(wanted(), extra || {});
  if (!p.q) { results.replaceChildren(); say(""); return; }
  if (push) {
    const address = "?" + new URLSearchParams(p).toString();
    if (address !== location.search) history.pushState(null, "", address);
  }
  closeDoc(false);
  const mine = ++generation;
  say("Searching…");
  try {
    const answer = await api("/api/search", Object.assign({ n: p.path ? 50 : 20 }, p));
    if (mine !== generation) return;
    show(answer, p);
  } catch (e) {
    if (mine !== generation) return;
    results.replaceChildren();
    say(e.status === 503 ? "No index yet: run `cerca index FOLDER`, then search again." : e.message, true);
  }
}

const numbers = new Intl.NumberFormat("en");

// "1,234 passages", "1 passage", or "10,000+ passages" for a count that is only a lower bound.
function counted(n, exact, one, many) {
  return numbers.format(n) + (exact ? "" : "+") + " " + (n === 1 && exact ? one : many);
}

// What was found: the totals the API counted (those holding some of the words when no passage
// holds them all), else the number of hits shown.
function found(answer) {
  const t = answer.total;
  if (answer.count === 0 && (!t || t.passages === 0)) return "No passage found";
  if (!t) return counted(answer.count, true, "passage", "passages") + " shown";
  const text = counted(t.passages, t.exact, "passage", "passages") + " in " +
    counted(t.documents, t.exact, "document", "documents");
  // Fewer passages hold every word than are shown: the rest hold some.
  if (!answer.relaxed && t.exact && answer.count > t.passages) {
    return text + "; below them, passages with some of the words";
  }
  if (!answer.relaxed) return text;
  const verb = t.passages === 1 && t.exact ? " has" : " have";
  return "No passage has every word; " + text + verb + " some of them, closest first";
}

function show(answer, p) {
  let text = found(answer) + " (" + Number(answer.took_ms).toFixed(1) + " ms)";
  if (answer.lenient) text += " — the query did not parse; searched its words";
  for (const note of answer.notes) text += " — " + note;
  say(text);
  results.replaceChildren();
  if (p.path) {
    const scope = el("li", "scope");
    scope.append(el("span", null, "Only from " + p.path));
    const all = el("button", null, "All results");
    all.type = "button";
    all.addEventListener("click", () => { const q = Object.assign({}, p); delete q.path; go(q); });
    scope.append(all);
    results.append(scope);
  }
  for (const hit of answer.hits) results.append(hitItem(hit, p));
}

function hitItem(hit, p) {
  const li = el("li", "hit");
  const h2 = el("h2");
  const title = el("a", null, hit.title || hit.path);
  title.href = "#";
  title.addEventListener("click", (e) => { e.preventDefault(); openDoc(hit, p.q, title); });
  h2.append(title);
  li.append(h2);
  const where = hit.path + ":" + hit.line + (hit.page ? " (page " + hit.page + ")" : "");
  const meta = el("p", "meta");
  const parts = [hit.date || "undated", hit.source, hit.lang].filter(Boolean);
  meta.append(parts.join(" · ") + " · ");
  meta.append(el("span", "path", where));
  li.append(meta);
  const passage = el("p", "passage");
  const f = hit.fragment;
  if (f.start > 0) passage.append("… ");
  passage.append(marked(hit.text, hit.highlights, f.start, f.end));
  if (f.end < encoder.encode(hit.text).length) passage.append(" …");
  li.append(passage);
  const actions = el("p", "actions");
  if (!p.path) {
    const more = el("button", "more", "More from this document" +
      (hit.more_in_document ? " (+" + hit.more_in_document + ")" : ""));
    more.type = "button";
    more.addEventListener("click", () => go(Object.assign({}, p, { path: hit.path, per_doc: "0" })));
    actions.append(more);
  }
  if (hit.url) {
    const link = safeLink(hit.url, "Original");
    if (link) actions.append(link);
  }
  li.append(actions);
  return li;
}

// Searches `p` and records it in the address.
function go(p) {
  box.value = p.q;
  const address = "?" + new URLSearchParams(p).toString();
  history.pushState(null, "", address);
  const extra = {};
  if (p.path) { extra.path = p.path; extra.per_doc = "0"; }
  search(extra, false);
}

async function openDoc(hit, q, link) {
  opener = link;
  say("Opening " + hit.path + "…");
  let answer;
  try {
    answer = await api("/api/doc", { path: hit.path, q: q });
  } catch (e) {
    say(e.message, true);
    return;
  }
  say("");
  $("docpath").textContent = answer.path;
  docText.replaceChildren();
  let target = null;
  for (const d of answer.documents) {
    const article = el("article", "document");
    const h2 = el("h2");
    h2.append(marked(d.title, d.title_highlights));
    article.append(h2);
    const meta = el("p", "meta", [d.date || "undated", d.source, d.lang].filter(Boolean).join(" · ") + " ");
    if (d.url) {
      const link = safeLink(d.url, d.url);
      if (link) meta.append(link);
      else meta.append(el("span", "path", d.url));
    }
    article.append(meta);
    let page = null;
    for (const line of d.lines) {
      if (line.page !== page && line.page !== null) {
        article.append(el("p", "page", "Page " + line.page));
      }
      page = line.page;
      const row = el("div", "line");
      row.append(el("span", "n", line.line));
      const t = el("span", "t");
      t.append(marked(line.text, line.highlights));
      row.append(t);
      if (!target && line.line >= hit.line && line.page === hit.page && d.doc === docOf(hit, answer)) {
        target = row;
        row.classList.add("target");
      }
      article.append(row);
    }
    docText.append(article);
  }
  list.hidden = true;
  docView.hidden = false;
  docView.focus({ preventScroll: true });
  if (target) target.scrollIntoView({ block: "center" });
  else window.scrollTo(0, 0);
}

// Which record of a file a hit is in: the one whose lines hold the hit's passage (the first
// record holding its line; most files have one).
function docOf(hit, answer) {
  for (const d of answer.documents) {
    if (d.lines.some((l) => l.line === hit.passage_line && l.page === hit.page)) return d.doc;
  }
  return answer.documents.length ? answer.documents[0].doc : 0;
}

function closeDoc(refocus) {
  if (docView.hidden) return;
  docView.hidden = true;
  list.hidden = false;
  if (refocus && opener) opener.focus();
}

async function loadStats() {
  try {
    const s = await api("/api/stats", {});
    for (const l of s.languages) {
      const o = el("option", null, l.name + " (" + l.documents + ")");
      o.value = l.name;
      filters.lang.append(o);
    }
    for (const src of s.sources) {
      const o = el("option");
      o.value = src.name;
      $("sources").append(o);
    }
    const span = s.earliest ? " · " + s.earliest + " – " + s.latest : "";
    $("stats").textContent = s.documents + " documents · " + s.passages + " passages" + span;
    const p = new URLSearchParams(location.search);
    if (p.get("lang")) filters.lang.value = p.get("lang");
  } catch (e) {
    $("stats").textContent = e.status === 503 ? "No index yet." : "";
  }
}

form.addEventListener("submit", (e) => { e.preventDefault(); search({}, true); });
for (const input of [filters.lang, newest]) input.addEventListener("change", () => search({}, true));
for (const input of [filters.source, filters.since, filters.until]) {
  input.addEventListener("change", () => search({}, true));
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); search({}, true); } });
}
$("close").addEventListener("click", () => closeDoc(true));
document.addEventListener("keydown", (e) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
  if (e.key === "/" && !typing) { e.preventDefault(); closeDoc(false); box.focus(); box.select(); }
  else if (e.key === "Escape" && !docView.hidden) { e.preventDefault(); closeDoc(true); }
});
window.addEventListener("popstate", () => {
  const p = fromAddress();
  const extra = p.get("path") ? { path: p.get("path"), per_doc: "0" } : {};
  search(extra, false);
});

loadStats();
{
  const p = fromAddress();
  if (p.get("q")) search(p.get("path") ? { path: p.get("path"), per_doc: "0" } : {}, false);
}
