#!/usr/bin/env bash
# The screenshots in docs/: the bundled sample run through one review round, so that accepted
# themes carry the workgroup's description, interpretation and proposals, then the infographic,
# the report at 1400 px and 800 px (headless Chromium) and the review sheet (LibreOffice).
# Offline; the demo registry lives in a temporary folder, configs/ is not touched.
# Usage: scripts/screenshot_docs.sh [DOCS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
docs="$(realpath -m "${1:-docs}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ilmio=(.venv/bin/ilmio)
export ILMIO_PSEUDONYM_KEY="${ILMIO_PSEUDONYM_KEY:-docs-demo-key-0123456789}"
registry="$work/registry/theme_registry.yaml"
"${ilmio[@]}" run data/sample/records.csv --out "$work/first" --set "themes.registry=$registry" >/dev/null
# One reviewer accepts the four largest themes and writes what a workgroup would.
.venv/bin/python - "$work/first/themes.xlsx" "$work/review/anna.xlsx" <<'PY'
import sys
from pathlib import Path

from openpyxl import load_workbook

src, dst = sys.argv[1], Path(sys.argv[2])
wb = load_workbook(src)
ws = wb["Teemat"]
col = {c.value: c.column for c in ws[1]}
notes = [
    ("Asumisen ongelmat: vuokrarästit ja häätöuhka",
     "Vuokrarästit kasautuvat, kun tukipäätökset viipyvät; häätöuhka näkyy kaikissa kunnissa.",
     "Etuuspäätösten viive on yhteinen tekijä; ilmiö painottuu aikuissosiaalityöhön.",
     "Harkinnanvaraisen toimeentulotuen päätökset vuokrarästeihin viikossa, kun häätö uhkaa. "
     "Asumisneuvonnan päivystys vuokranantajien ilmoituksille."),
    ("Velat ja toimeentulon niukkuus", "Ulosotto, pikavipit ja ruoka-avun tarve.",
     "Velkakierre alkaa usein yllättävästä menosta.",
     "Talous- ja velkaneuvontaan nopeutettu ajanvaraus sosiaalityön asiakkaille."),
    ("Maaseudun asiointimatkat", "Pitkät välimatkat ja harvat kyydit estävät asioinnin.",
     "Painottuu pieniin kuntiin ja ikääntyneisiin.",
     "Kutsuohjattu asiointiliikenne haja-asutusalueille vähintään kahdesti viikossa."),
    ("Päihdehoitoon jonottaminen", "Hoitoon pääsyä odotetaan viikkoja, motivaatio hiipuu.",
     "Jonot pidentyvät katkaisuhoidossa.",
     "Odotusajan tukikäynnit kahden viikon välein; jonotilanne johtoryhmälle neljännesvuosittain."),
]
for row, (name, desc, reading, proposals) in zip(range(2, 6), notes):
    ws.cell(row=row, column=col["päätös"]).value = "nimeä"
    ws.cell(row=row, column=col["uusi_nimi"]).value = name
    ws.cell(row=row, column=col["kuvaus"]).value = desc
    ws.cell(row=row, column=col["tulkinta"]).value = reading
    ws.cell(row=row, column=col["ehdotukset"]).value = proposals
    ws.cell(row=row, column=col["arvioija"]).value = "Anna"
dst.parent.mkdir(parents=True, exist_ok=True)
wb.save(dst)
PY
"${ilmio[@]}" review import "$work/review" --run "$work/first" --registry "$registry" \
    --date 2025-07-01 >/dev/null
"${ilmio[@]}" run data/sample/records.csv --out "$work/second" --set "themes.registry=$registry" >/dev/null
mkdir -p "$docs"
cp "$work/second/infographic.png" "$docs/infographic.png"
bash scripts/screenshot_report.sh "$work/second/report.html" "$docs/report_1400.png" 1400,2600 >/dev/null
bash scripts/screenshot_report.sh "$work/second/report.html" "$docs/report_800.png" 800,2600 >/dev/null
accepted="$(.venv/bin/python -c "
import sys
from pipeline.spreadsheet import read_excel_csv
t = read_excel_csv(sys.argv[1], dtype=str)
print(t.loc[t['tila'] == 'hyväksytty', 'teema_id'].iloc[0])" "$work/second/themes.csv")"
# One accepted theme's card at 1400 px (DevTools over a pipe: headless screenshots ignore #ids).
.venv/bin/python - "$work/second/report.html" "$accepted" "$docs/report_1400_theme.png" <<'PY'
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, "tests")
from devtools import DevTools  # noqa: E402

page, theme, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
tools = DevTools(Path(tempfile.mkdtemp()))
try:
    tools.screenshot(tools.open(page, 1400), theme, out)
finally:
    tools.close()
PY
bash scripts/screenshot_sheet.sh "$work/second/themes.xlsx" "$docs/review_sheet.png" >/dev/null
cp "$work/second/infographic.pdf" "$docs/infographic.pdf"
ls -1 "$docs"/infographic.png "$docs"/infographic.pdf "$docs"/report_1400.png \
    "$docs"/report_1400_theme.png "$docs"/report_800.png "$docs"/review_sheet.png
