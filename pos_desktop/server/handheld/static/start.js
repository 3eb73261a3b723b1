// Start: translate, then find out whether this phone is still signed in.
"use strict";

document.querySelectorAll("#tabs [data-view]").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
$("lang").addEventListener("click", () => { switchLanguage(); setOnline(navigator.onLine); });
translatePage();
setOnline(navigator.onLine);
api("GET", "/session").then(signedIn).catch(() => show("login"));
