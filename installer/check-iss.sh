#!/usr/bin/env bash
# Compile installer/pos.iss with the real Inno Setup compiler (ISCC.exe) under wine, on Linux, to prove the
# script is valid. A one-off developer check, not part of the build or the CI: it installs nothing itself.
# It compiles a copy of pos.iss against a throwaway placeholder bundle (dummy pos-gui.exe, pos.exe and
# _internal\) in a temporary folder, so nothing is written into the repository or dist/.
#
# Prerequisites (Debian bookworm, amd64; ISCC is a 32-bit program, so wine needs i386 support):
#   dpkg --add-architecture i386 && apt-get update && apt-get install -y wine wine64 wine32 xvfb xauth
#   npm pack innosetup@6.4.1 && tar xzf innosetup-6.4.1.tgz      # ISCC.exe and friends in package/bin/
# Usage:
#   ISCC=/path/to/package/bin/ISCC.exe installer/check-iss.sh [extra ISCC options, e.g. /DAppVersion=1.2.3]
# Environment: ISCC (required), WINEPREFIX (default /tmp/wineprefix-iss, created on first use),
# KEEP=1 keeps the temporary folder with the setup exe. Exits non-zero if ISCC reports an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${ISCC:?set ISCC to the path of ISCC.exe (see the comment at the top of this script)}"
[ -f "$ISCC" ] || { echo "check-iss: no ISCC.exe at $ISCC" >&2; exit 2; }
command -v wine >/dev/null || { echo "check-iss: wine is not installed (see the prerequisites)" >&2; exit 2; }

export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-/tmp/wineprefix-iss}"

work="$(mktemp -d /tmp/iss-check.XXXXXX)"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi

# The same layout as the repository, so the script's own relative paths (..\dist\pos\*, OutputDir=..\dist) hold.
mkdir -p "$work/installer" "$work/dist/pos/_internal"
cp "$here/pos.iss" "$work/installer/pos.iss"
printf 'placeholder\n' > "$work/dist/pos/pos-gui.exe"
printf 'placeholder\n' > "$work/dist/pos/pos.exe"
printf 'placeholder\n' > "$work/dist/pos/_internal/base_library.zip"

run=(wine)
# wine may want a display when it first creates its prefix: use a virtual one when there is none.
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then run=(xvfb-run -a wine); fi

script_win="$(winepath -w "$work/installer/pos.iss" 2>/dev/null)"
status=0
"${run[@]}" "$ISCC" "$@" "$script_win" || status=$?
if [ "$status" -ne 0 ]; then
    echo "check-iss: ISCC failed (exit $status)" >&2
    exit "$status"
fi

setup="$(ls "$work"/dist/*-setup.exe 2>/dev/null | head -n 1)"
[ -n "$setup" ] || { echo "check-iss: ISCC succeeded but no setup exe was produced" >&2; exit 1; }
where=""; [ "${KEEP:-0}" = 1 ] && where=" in $work/dist"
echo "check-iss: OK, $(basename "$setup") ($(stat -c %s "$setup") bytes)$where"
