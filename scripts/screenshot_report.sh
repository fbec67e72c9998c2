#!/usr/bin/env bash
# Screenshot of an ilmio report in headless Chromium, offline: no profile, no sync, no update
# checks, every host name resolves to nothing (the report is self-contained anyway).
# Usage: scripts/screenshot_report.sh REPORT_HTML OUT_PNG [WIDTH,HEIGHT]
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT_HTML OUT_PNG [WIDTH,HEIGHT]" >&2
    exit 2
fi
report="$(realpath "$1")"
out="$(realpath -m "$2")"
size="${3:-1200,1600}"
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [[ -z "$browser" ]]; then
    echo "$0: chromium not found (Debian: apt-get install chromium)" >&2
    exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$out")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$profile" --host-resolver-rules="MAP * ~NOTFOUND" \
    --window-size="$size" --screenshot="$out" "file://$report" >/dev/null 2>&1
test -s "$out"
echo "$out"
