// The page's own words in Chinese and English (the server's messages come translated by the server).
"use strict";
const STRINGS = {
  en: {
    app_title: "Handheld", sign_in: "Sign in", user: "User", pin: "PIN", find: "Find", add: "Add",
    otp: "One-time code",
    scan_or_search: "Scan, or type a name or SKU", scan_item: "Scan or type a barcode / SKU",
    on_hand: "On hand", location: "Location", qty: "Qty", lot: "Lot", expiry: "Expiry",
    print_label: "Print shelf label", label_printed: "Shelf label for {sku} printed",
    open_count: "Open count", no_counts: "No count is open: start one on the store PC",
    waiting: "Waiting to send", sent: "Sent", item: "Item", ordered: "Ordered", before: "Before", now: "Now",
    back: "Back", receive: "Receive", close: "Close",
    tab_lookup: "Look up", tab_count: "Count", tab_receive: "Receive", sign_out: "Sign out",
    online: "online", offline: "offline",
    bad_check: "{code}: wrong check digit (expected {expected}); scan again",
    not_found_hits: "Nothing found for {text}", hits: "{n} products: pick one",
    queued: "{qty} × {code} kept; sending…", recorded: "{name}: {qty} counted (you: {yours})",
    rejected: "Not counted: {message}", duplicate: "{name}: already counted",
    no_orders: "No purchase order is waiting to be received", not_on_order: "{code} is not on this order: added",
    received: "Receipt {receipt} saved; order is now {status}", already_received: "Already received as {receipt}",
    nothing_to_receive: "Scan what came before receiving", signed_out: "Signed out",
    camera_none: "No camera here: use the scanner or type the code", camera_point: "Point at a barcode",
    net_error: "No connection: kept on this phone, sent when the network is back",
    bad_qty: "{qty} is not a quantity",
    member: "member {price}",
  },
  zh: {
    app_title: "手持终端", sign_in: "登录", user: "用户", pin: "PIN 码", find: "查找", add: "添加",
    otp: "一次性验证码",
    scan_or_search: "扫码，或输入名称/货号", scan_item: "扫码或输入条码/货号",
    on_hand: "库存", location: "库位", qty: "数量", lot: "批号", expiry: "有效期",
    print_label: "打印货架标签", label_printed: "已打印 {sku} 的货架标签",
    open_count: "进行中的盘点", no_counts: "没有进行中的盘点：请在门店电脑上开始",
    waiting: "待发送", sent: "已发送", item: "商品", ordered: "订购", before: "已收", now: "本次",
    back: "返回", receive: "收货", close: "关闭",
    tab_lookup: "查询", tab_count: "盘点", tab_receive: "收货", sign_out: "退出",
    online: "在线", offline: "离线",
    bad_check: "{code}：校验位错误（应为 {expected}），请重新扫描",
    not_found_hits: "没有找到 {text}", hits: "{n} 个商品：请选择",
    queued: "{qty} × {code} 已保存，正在发送…", recorded: "{name}：已盘 {qty}（你：{yours}）",
    rejected: "未计入：{message}", duplicate: "{name}：已经计入",
    no_orders: "没有待收货的采购订单", not_on_order: "{code} 不在此订单上：已添加",
    received: "收货单 {receipt} 已保存；订单现为 {status}", already_received: "已收货，单号 {receipt}",
    nothing_to_receive: "请先扫描到货商品", signed_out: "已退出",
    camera_none: "此设备没有摄像头：请用扫描枪或手动输入", camera_point: "请对准条码",
    net_error: "无网络：已保存在手机上，联网后自动发送",
    bad_qty: "{qty} 不是有效数量",
    member: "会员价 {price}",
  },
};

let LANG = localStorage.getItem("hh-lang") || ((navigator.language || "").startsWith("zh") ? "zh" : "en");

function t(key, vars) {
  let text = (STRINGS[LANG] && STRINGS[LANG][key]) || STRINGS.en[key] || key;
  for (const [name, value] of Object.entries(vars || {})) text = text.split("{" + name + "}").join(String(value));
  return text;
}

function translatePage() {
  document.documentElement.lang = LANG === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-tp]").forEach((el) => { el.placeholder = t(el.dataset.tp); });
  document.getElementById("lang").textContent = LANG === "zh" ? "EN" : "中文";
}

function switchLanguage() {
  LANG = LANG === "zh" ? "en" : "zh";
  localStorage.setItem("hh-lang", LANG);
  translatePage();
}
