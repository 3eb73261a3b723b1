// The handheld pages: sign in, look up, count, receive. Plain JavaScript, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { recent: [], me: null, csrf: null, countId: null, sentCount: 0, flushing: false, retryMs: 1000, retryTimer: null,
                order: null, delivery: null };

class ApiError extends Error {
  constructor(status, body) { super(body.message || String(status)); this.status = status; this.code = body.error; }
}

async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const res = await fetch("/handheld/api" + path, { method, headers, credentials: "same-origin",
                                                    body: body === undefined ? undefined : JSON.stringify(body) });
  const doc = await res.json().catch(() => ({ error: "http_" + res.status, message: res.statusText }));
  if (res.status === 401 && path !== "/login" && path !== "/session") { signedOut(doc.message); }
  if (!res.ok) throw new ApiError(res.status, doc);
  return doc;
}

function isNetworkError(e) { return !(e instanceof ApiError) || e.status >= 500; }
function say(id, text, kind) { const el = $(id); el.textContent = text || ""; el.dataset.kind = kind || ""; }
function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
}

// --- views --------------------------------------------------------------------------------------------

function show(view) {
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
  $("tabs").hidden = view === "login";
  document.querySelectorAll("#tabs [data-view]").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
  if (view !== "login") location.hash = view;
  if (view === "lookup") $("lookup-input").focus();
  if (view === "count") openCountView();
  if (view === "receive") openReceiveView();
}

function signedIn(doc) {
  state.me = doc; state.csrf = doc.csrf;
  document.querySelector('[data-view="count"]').hidden = !doc.can.count;
  document.querySelector('[data-view="receive"]').hidden = !doc.can.receive;
  const wanted = (location.hash || "#lookup").slice(1);
  show(["lookup", "count", "receive"].includes(wanted) && (wanted === "lookup" || doc.can[wanted]) ? wanted : "lookup");
}

function signedOut(message) {
  state.me = null; state.csrf = null;
  show("login");
  $("login-error").textContent = message || "";
}

// --- sign in ------------------------------------------------------------------------------------------

// A user with one-time codes on: the server answers otp_required, and the code field (id "otp") appears.
function askForCode(shown) {
  $("otp-row").hidden = !shown;
  $("otp").value = "";
  if (shown) $("otp").focus();
}

$("login-user").addEventListener("input", () => askForCode(false));

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const doc = { user: $("login-user").value, pin: $("login-pin").value };
  if (!$("otp-row").hidden) doc.otp = $("otp").value;
  try {
    signedIn(await api("POST", "/login", doc));
    $("login-pin").value = "";
    askForCode(false);
    $("login-error").textContent = "";
  } catch (e) {
    $("login-error").textContent = isNetworkError(e) && !(e instanceof ApiError) ? t("net_error") : e.message;
    if (e instanceof ApiError && e.code === "otp_required") askForCode(true);
    else if (e instanceof ApiError && !$("otp-row").hidden) {   // wrong PIN or code: both typed again
      $("otp").value = ""; $("login-pin").value = ""; $("login-pin").focus();
    }
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("POST", "/logout", {}); } catch (e) { /* signed out anyway */ }
  signedOut(t("signed_out"));
});

// --- scanning: a keyboard-wedge scanner types into the focused field and presses Enter ------------------

function checked(input, msgId) {
  const text = input.value.trim();
  const result = checkBarcode(text);
  if (!result.ok) {
    say(msgId, t("bad_check", { code: text, expected: result.expected }), "error");
    input.select();
    return null;
  }
  return result;
}

document.querySelectorAll("[data-camera]").forEach((button) => button.addEventListener("click", async () => {
  const input = $(button.dataset.camera);
  const started = await Camera.start((code) => { input.value = code; input.form.requestSubmit(); });
  if (!started) say(input.form.nextElementSibling.id, t("camera_none"), "error");
}));
$("camera-close").addEventListener("click", () => Camera.stop());

// --- look-up ------------------------------------------------------------------------------------------

$("lookup-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("lookup-input");
  const result = checked(input, "lookup-msg");
  if (!result || !result.code) return;
  await lookup(result.text ? { q: result.code } : { code: result.code });
  input.select();
});

async function lookup(params) {
  say("lookup-msg", "");
  $("lookup-hits").replaceChildren();
  $("product").hidden = true;
  try {
    const doc = await api("GET", "/lookup?" + new URLSearchParams(params));
    if (doc.product) return showProduct(doc.product);
    if (!doc.hits.length) return say("lookup-msg", t("not_found_hits", { text: params.q }), "error");
    say("lookup-msg", t("hits", { n: doc.hits.length }));
    doc.hits.forEach((hit) => {
      const li = el("li");
      const b = el("button", `${hit.name} · ${hit.sku} · ${hit.price || ""}`, { type: "button" });
      b.addEventListener("click", () => lookup({ sku: hit.sku }));
      li.appendChild(b);
      $("lookup-hits").appendChild(li);
    });
  } catch (e) {
    say("lookup-msg", isNetworkError(e) && !(e instanceof ApiError) ? t("net_error") : e.message, "error");
  }
}

function showProduct(p) {
  $("p-name").textContent = p.name;
  $("p-sku").textContent = p.sku;
  $("p-code").textContent = p.scanned || p.barcodes[0] || "";
  $("p-price").textContent = money(p.price);
  $("p-member").textContent = p.member_price ? t("member", { price: money(p.member_price) }) : "";
  $("p-onhand").textContent = qty(p.on_hand);
  $("p-unit").textContent = p.unit || "";
  $("p-locations").replaceChildren(...p.locations.map((l) => row([`${l.location} ${l.name}`, qty(l.qty)])));
  $("p-batches").replaceChildren(...p.batches.map((b) => row([b.lot || "-", b.expiry || "-", b.location, qty(b.qty)])));
  $("p-batches-table").hidden = !p.batches.length;
  $("p-label").hidden = !state.me.can.label;
  $("p-label").dataset.sku = p.sku;
  $("product").hidden = false;
}

function row(cells) {
  const tr = el("tr");
  cells.forEach((c) => tr.appendChild(el("td", c, /^[\d.-]+$/.test(c || "") ? { class: "num" } : {})));
  return tr;
}

const SIGNS = { CNY: "¥", JPY: "¥", HKD: "HK$", TWD: "NT$", MOP: "MOP$", USD: "$", EUR: "€" };
function money(amount) { const c = state.me.currency; return (SIGNS[c] || c + " ") + amount; }

// "12.000" → "12", "0.750" → "0.75": the server's fixed three places are for machines
function qty(text) { return text && /^-?\d+\.\d+$/.test(text) ? text.replace(/\.?0+$/, "") : text; }

$("p-label").addEventListener("click", async () => {
  const sku = $("p-label").dataset.sku;
  try {
    await api("POST", "/labels", { sku });
    say("lookup-msg", t("label_printed", { sku }), "ok");
  } catch (e) { say("lookup-msg", e.message, "error"); }
});

// --- counting -----------------------------------------------------------------------------------------

async function openCountView() {
  try {
    const doc = await api("GET", "/counts");
    const select = $("count-select");
    select.replaceChildren(...doc.counts.map((c) => el("option", `${c.number} · ${c.location}`, { value: c.count_id })));
    if (!doc.counts.length) say("count-msg", t("no_counts"), "error");
    if (state.countId && doc.counts.some((c) => c.count_id === state.countId)) select.value = state.countId;
    state.countId = select.value || null;
  } catch (e) {
    if (!state.countId) say("count-msg", e.message, "error");
  }
  await renderLines();
  flushLines();
  $("count-input").focus();
}

$("count-select").addEventListener("change", () => { state.countId = $("count-select").value; renderLines(); flushLines(); });

$("count-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("count-input");
  const result = checked(input, "count-msg");
  if (!result || !result.code || !state.countId) return;
  const qty = $("count-qty").value.trim() || "1";
  if (!/^\d+(\.\d{1,3})?$/.test(qty)) return say("count-msg", t("bad_qty", { qty }), "error");
  // cleared before waiting on the database: a fast scanner may already be typing the next code
  input.value = "";
  $("count-qty").value = "1";
  input.focus();
  await Outbox.addLine(state.countId, result.code, qty);
  say("count-msg", t("queued", { qty, code: result.code }));
  await renderLines();
  flushLines();
});

let renderSeq = 0;
async function renderLines() {
  if (!state.countId) return;
  const seq = ++renderSeq;
  const lines = await Outbox.lines(state.countId);
  if (seq !== renderSeq) return;   // a later render started meanwhile: it shows the newer state
  $("count-pending").textContent = String(lines.filter((l) => l.state === "pending").length);
  $("count-sent").textContent = String(state.sentCount);
  const shown = lines.concat(state.recent.filter((r) => r.count_id === state.countId)).sort((a, b) => a.at - b.at);
  $("count-lines").replaceChildren(...shown.slice(-30).reverse().map((l) => {
    const li = el("li", `${qty(l.qty)} × ${l.name || l.code}`, { "data-state": l.state });
    if (l.message) li.appendChild(el("small", t("rejected", { message: l.message })));
    return li;
  }));
}

async function flushLines() {
  if (state.flushing || !state.countId || !state.me) return;
  state.flushing = true;
  clearTimeout(state.retryTimer);
  const countId = state.countId;
  try {
    for (;;) {
      const batch = (await Outbox.pending(countId)).slice(0, 50);
      if (!batch.length) break;
      const doc = await api("POST", `/counts/${encodeURIComponent(countId)}/lines`,
                            { lines: batch.map((l) => ({ id: l.id, code: l.code, qty: l.qty })) });
      const done = [];
      for (const r of doc.results) {
        const sent = batch.find((l) => l.id === r.id);
        if (r.status === "rejected") await Outbox.reject(r.id, r.message);
        else { done.push(r.id); state.recent = state.recent.slice(-29).concat([{ ...sent, name: r.name, state: "sent" }]); say("count-msg", t(r.status === "duplicate" ? "duplicate" : "recorded",
                                                    { name: r.name, qty: qty(r.qty), yours: qty(r.your_count) }), "ok"); }
      }
      await Outbox.forget(done);
      state.sentCount += done.length;
      state.retryMs = 1000;
      await renderLines();
    }
    setOnline(true);
  } catch (e) {
    if (isNetworkError(e)) {
      setOnline(false);
      say("count-msg", t("net_error"), "error");
      state.retryTimer = setTimeout(flushLines, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 15000);
    } else if (e.status !== 401) {
      say("count-msg", e.message, "error");
    }
  } finally {
    state.flushing = false;
    await renderLines();
  }
}

function setOnline(on) { $("net").dataset.state = on ? "online" : "offline"; $("net").textContent = t(on ? "online" : "offline"); }
window.addEventListener("online", () => { setOnline(true); state.retryMs = 1000; flushLines(); });
window.addEventListener("offline", () => setOnline(false));
