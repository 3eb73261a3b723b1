#!/usr/bin/env bash
# System packages the test suite needs (Debian): installed when missing and we are root, else a hint.
# Run by `make test`; does nothing when everything is present.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)          # PDF text checks (Z report, reports)
[ -d /usr/share/poppler/cMap ] || need+=(poppler-data)               # pdftotext reading CID (Chinese) fonts
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)  # CJK TrueType embedded in PDFs
command -v chromium >/dev/null 2>&1 || need+=(chromium)            # headless browser for tests/handheld
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
    echo "missing system packages: ${need[*]} (install them: sudo apt-get install ${need[*]})" >&2
fi
