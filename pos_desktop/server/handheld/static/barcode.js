// Check digits before any look-up (the server checks again with pos_desktop/core/barcodes.py).
// EAN-13, UPC-A, GTIN-14, SSCC-18: GS1 mod 10. Eight digits: EAN-8, else UPC-E (number system 0 or 1).
// Anything else (an internal code, a SKU, a name, a GS1-128 string) is left to the server.
"use strict";

function gs1CheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

function upceBody(code) {
  const system = code[0], d = code.slice(1, 7), last = d[5];
  if ("012".includes(last)) return system + d.slice(0, 2) + last + "0000" + d.slice(2, 5);
  if (last === "3") return system + d.slice(0, 3) + "00000" + d.slice(3, 5);
  if (last === "4") return system + d.slice(0, 4) + "00000" + d[4];
  return system + d.slice(0, 5) + "0000" + last;
}

// {ok: true, code} for a code worth looking up; {ok: false, expected} for a wrong check digit;
// {ok: true, text: true} for something that is not a GTIN (searched or sent as it is).
function checkBarcode(raw) {
  const code = (raw || "").trim();
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14, 18].includes(code.length)) return { ok: true, code, text: true };
  const expected = gs1CheckDigit(code.slice(0, -1));
  if (expected === Number(code[code.length - 1])) return { ok: true, code };
  if (code.length === 8 && "01".includes(code[0])) {
    const upca = upceBody(code) + code[7];
    if (gs1CheckDigit(upca.slice(0, -1)) === Number(code[7])) return { ok: true, code };
  }
  return { ok: false, code, expected };
}

// The 13-digit form the server looks codes up by (UPC-A gets its leading zero).
function lookupForm(code) {
  return /^\d{12}$/.test(code) ? "0" + code : code;
}

if (typeof module !== "undefined") module.exports = { checkBarcode, gs1CheckDigit, lookupForm };
