// Receiving against a purchase order: scan what came, check the quantities, receive once.
// The delivery (and its id) is kept in IndexedDB until the server answers, so a retry never receives twice.
"use strict";

async function openReceiveView() {
  $("order").hidden = true;
  $("order-list").hidden = false;
  say("receive-msg", "");
  try {
    const doc = await api("GET", "/orders");
    $("order-list").replaceChildren(...doc.orders.map((o) => {
      const b = el("button", `${o.po} · ${o.supplier} · ${o.expected_date || ""}`, { type: "button", "data-po": o.po });
      b.addEventListener("click", () => openOrder(o.po));
      const li = el("li"); li.appendChild(b); return li;
    }));
    if (!doc.orders.length) $("order-list").replaceChildren(el("li", t("no_orders")));
  } catch (e) { $("order-list").replaceChildren(el("li", isNetworkError(e) ? t("net_error") : e.message)); }
}

async function openOrder(po) {
  state.order = await api("GET", "/orders/" + encodeURIComponent(po));
  state.delivery = await Outbox.delivery(po);
  $("o-po").textContent = state.order.po;
  $("o-supplier").textContent = state.order.supplier_name;
  $("order-list").hidden = true;
  $("order").hidden = false;
  renderOrder();
  $("receive-input").focus();
}

function renderOrder() {
  const got = state.delivery.lines;
  const rows = state.order.lines.map((l) => {
    const tr = row([`${l.name} (${l.sku})`, qty(l.qty), qty(l.received_qty)]);
    const cell = el("td");
    const input = el("input", null, { inputmode: "decimal", "data-sku": l.sku, class: "qty", value: got[l.sku] || "0" });
    input.addEventListener("change", () => { got[l.sku] = input.value.trim(); Outbox.saveDelivery(state.delivery); });
    cell.appendChild(input);
    tr.appendChild(cell);
    return tr;
  });
  const extra = Object.keys(got).filter((sku) => !state.order.lines.some((l) => l.sku === sku));
  extra.forEach((code) => rows.push(row([code, "-", "-", got[code]])));
  $("o-lines").replaceChildren(...rows);
}

$("receive-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("receive-input");
  const result = checked(input, "receive-msg");
  if (!result || !result.code) return;
  const code = result.code;
  input.value = "";   // before any waiting: a fast scanner may already be typing the next code
  const line = state.order.lines.find((l) => l.sku === code || l.barcodes.includes(code) || l.barcodes.includes(lookupForm(code)));
  const key = line ? line.sku : code;
  const got = state.delivery.lines;
  got[key] = String(Number(got[key] || 0) + 1);
  if (!line) say("receive-msg", t("not_on_order", { code }), "error"); else say("receive-msg", `${line.name}: ${got[key]}`, "ok");
  renderOrder();
  input.focus();
  await Outbox.saveDelivery(state.delivery);
});

$("receive-back").addEventListener("click", openReceiveView);

$("receive-go").addEventListener("click", async () => {
  const skus = new Set(state.order.lines.map((l) => l.sku));
  const lines = Object.entries(state.delivery.lines).filter(([, qty]) => Number(qty) > 0).map(([key, qty]) =>
    skus.has(key) ? { sku: key, qty } : { barcode: key, qty });
  if (!lines.length) return say("receive-msg", t("nothing_to_receive"), "error");
  $("receive-go").disabled = true;
  try {
    const doc = await api("POST", `/orders/${encodeURIComponent(state.order.po)}/receive`, { id: state.delivery.id, lines });
    await Outbox.dropDelivery(state.order.po);
    state.order = await api("GET", "/orders/" + encodeURIComponent(state.order.po));
    state.delivery = await Outbox.delivery(state.order.po);
    renderOrder();
    say("receive-msg", doc.duplicate ? t("already_received", { receipt: doc.receipt_no })
                                     : t("received", { receipt: doc.receipt_no, status: doc.po_status }), "ok");
  } catch (e) {
    say("receive-msg", isNetworkError(e) ? t("net_error") : e.message, "error");
  } finally { $("receive-go").disabled = false; }
});
