#!/usr/bin/env bash
# Screenshots of the till (login, checkout, payment, returns) in Chinese and English, into docs/screenshots/.
# Runs the real window under Xvfb; installs Xvfb, a CJK font and Qt's X11 libraries from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
ldconfig -p | grep -q libxcb-cursor.so.0 || need+=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 \
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
make -s install
xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py "$@"
