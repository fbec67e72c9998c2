#!/usr/bin/env bash
# The review sheet as it prints: LibreOffice Calc (headless) turns themes.xlsx into a PDF with
# the workbook's own print setup (landscape, one page wide, header row repeated), pdftoppm
# turns the first page into a PNG. Offline. Only for screenshots: LibreOffice is not a
# dependency of ilmio (Debian: apt-get install libreoffice-calc-nogui poppler-utils).
# Usage: scripts/screenshot_sheet.sh THEMES_XLSX OUT_PNG [PAGE]
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 THEMES_XLSX OUT_PNG [PAGE]" >&2
    exit 2
fi
sheet="$(realpath "$1")"
out="$(realpath -m "$2")"
page="${3:-1}"
office="$(command -v soffice || command -v libreoffice || true)"
if [[ -z "$office" ]] || ! command -v pdftoppm >/dev/null; then
    echo "$0: needs soffice and pdftoppm (apt-get install libreoffice-calc-nogui poppler-utils)" >&2
    exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Only the first sheet (Teemat) is exported: a copy of the workbook with that sheet active.
HOME="$work" "$office" --headless --norestore -env:UserInstallation="file://$work/profile" \
    --convert-to 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"false"}}' \
    --outdir "$work" "$sheet" >/dev/null 2>&1
pdf="$work/$(basename "${sheet%.*}").pdf"
test -s "$pdf"
mkdir -p "$(dirname "$out")"
pdftoppm -png -r 110 -f "$page" -l "$page" -singlefile "$pdf" "${out%.png}"
test -s "$out"
echo "$out"
