"""Workgroup-facing words: Finnish by default, English on request (`report.language`)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "theme_id": "teema_id",
        "label": "nimi",
        "keywords": "avainsanat",
        "status": "tila",
        "is_new": "uusi",
        "n_docs": "asiakirjoja",
        "n_clients": "asiakkaita",
        "by_service": "osuus_palveluittain",
        "by_area": "osuus_kunnittain",
        "trend": "trendi_neljänneksittäin",
        "excerpt": "ote",
        "decision": "päätös",
        "new_name": "uusi_nimi",
        "merge_into": "yhdistä_teemaan",
        "description": "kuvaus",
        "comment": "kommentti",
        "reviewer": "arvioija",
        "yes": "kyllä",
        "no": "ei",
        "other": "muut",
        "suppressed": "alle {n}",
        "sheet_themes": "Teemat",
        "sheet_help": "Ohjeet",
        "decisions": "hyväksy,hylkää,yhdistä,nimeä",
        "candidate": "ehdokas",
        "accepted": "hyväksytty",
        "rejected": "hylätty",
        "merged": "yhdistetty",
        "title": "Toistuvat ilmiöt asiakaskirjauksissa",
        "intro": "Raportti kokoaa asiakaskirjauksista koneellisesti tunnistetut toistuvat ilmiöt "
        "(teemat). Luvut ovat asiakirjoja ja eri asiakkaita; alle {n} asiakkaan ryhmiä "
        "ei näytetä. Otteet ovat tietosuojasyistä muokattuja: henkilötiedot on korvattu "
        "merkinnöillä kuten <HENKILÖ_1>.",
        "summary": "Yhteenveto",
        "n_docs_total": "Asiakirjoja yhteensä",
        "n_themes_total": "Teemoja",
        "unthemed": "Asiakirjoja ilman teemaa",
        "new_themes": "Uudet teemat tällä kaudella",
        "none": "ei uusia teemoja",
        "all_new": "kaikki teemat ovat uusia (teemarekisteri on vielä tyhjä)",
        "theme_sizes": "Teemojen koot",
        "trend_title": "Kehitys neljänneksittäin",
        "service_title": "Palveluittain",
        "area_title": "Kunnittain",
        "excerpts_title": "Otteita",
        "demo_key": "Huom: ajo käytti esimerkkiaineiston "
        "demoavainta asiakastunnisteiden pseudonymisointiin; oikealla aineistolla käytetään "
        "omaa salaista avainta.",
        "generated": "Ajotunniste",
        "theme": "Teema",
        "new_badge": "uusi",
        "no_themes": "Teemoja ei löytynyt.",
        "not_known": "ei tiedossa",
        "by_documents": "Aineistossa ei ole asiakastunnistetta: kaikki luvut ovat asiakirjoja, "
        "ja alle {n} asiakirjan ryhmät on jätetty pois. Eri asiakkaiden määrää ei tiedetä.",
        "too_few_segments": "Aineistossa on liian vähän suomenkielistä, muuta kuin rutiinitekstiä "
        "teemojen etsimiseen: {n} tekstijaksoa, tarvitaan vähintään {min}.",
        "too_few_distinct_segments": "Aineiston tekstijaksot toistavat samoja lauseita: {n} "
        "erilaista jaksoa, tarvitaan vähintään {min}.",
        "too_few_words": "Aineistossa on liian vähän eri sanoja teemojen kuvaamiseen.",
        "no_clusters": "Yksikään aiheryhmä ei ollut riittävän suuri.",
    },
    "en": {
        "theme_id": "theme_id",
        "label": "name",
        "keywords": "keywords",
        "status": "status",
        "is_new": "new",
        "n_docs": "documents",
        "n_clients": "clients",
        "by_service": "share_by_service",
        "by_area": "share_by_municipality",
        "trend": "trend_by_quarter",
        "excerpt": "excerpt",
        "decision": "decision",
        "new_name": "new_name",
        "merge_into": "merge_into",
        "description": "description",
        "comment": "comment",
        "reviewer": "reviewer",
        "yes": "yes",
        "no": "no",
        "other": "other",
        "suppressed": "under {n}",
        "sheet_themes": "Themes",
        "sheet_help": "Instructions",
        "decisions": "accept,reject,merge,rename",
        "candidate": "candidate",
        "accepted": "accepted",
        "rejected": "rejected",
        "merged": "merged",
        "title": "Recurring phenomena in client records",
        "intro": "This report gathers recurring phenomena (themes) found automatically in client "
        "records. Counts are documents and distinct clients; groups of fewer than {n} "
        "clients are not shown. Excerpts are redacted: personal data is replaced by "
        "markers such as <HENKILÖ_1>.",
        "summary": "Summary",
        "n_docs_total": "Documents in total",
        "n_themes_total": "Themes",
        "unthemed": "Documents without a theme",
        "new_themes": "New themes this period",
        "none": "no new themes",
        "theme_sizes": "Theme sizes",
        "all_new": "all themes are new (the theme registry is still empty)",
        "trend_title": "Trend by quarter",
        "service_title": "By service",
        "area_title": "By municipality",
        "excerpts_title": "Excerpts",
        "demo_key": "Note: this run pseudonymised client keys with the sample data's demo key; "
        "real data uses a secret key of its own.",
        "generated": "Run id",
        "theme": "Theme",
        "new_badge": "new",
        "no_themes": "No themes were found.",
        "not_known": "not known",
        "by_documents": "The records carry no client key: every count is of documents, and "
        "groups of fewer than {n} documents are left out. The number of distinct clients is "
        "not known.",
        "too_few_segments": "Too little Finnish, non-routine text to look for themes: {n} "
        "segments, at least {min} needed.",
        "too_few_distinct_segments": "The segments repeat the same sentences: {n} distinct, "
        "at least {min} needed.",
        "too_few_words": "Too few distinct words to describe themes.",
        "no_clusters": "No group of segments was large enough.",
    },
}

HELP_ROWS = {
    "fi": [
        "Näin arvioit teemat",
        "1. Lue jokaisen teeman nimi, avainsanat ja otteet välilehdeltä Teemat.",
        "2. Valitse sarakkeeseen päätös yksi vaihtoehto: hyväksy, hylkää, yhdistä tai nimeä.",
        "   hyväksy = teema on todellinen ilmiö;"
        " hylkää = ei ole ilmiö (esim. pelkkää kirjaustapaa).",
        "   nimeä = hyväksy uudella nimellä: kirjoita nimi sarakkeeseen uusi_nimi.",
        "   yhdistä = teema kuuluu toiseen teemaan: kirjoita sen teema_id sarakkeeseen "
        "yhdistä_teemaan.",
        "3. Voit kirjoittaa teemalle kuvauksen ja kommentin.",
        "4. Kirjoita nimesi tai nimikirjaimesi sarakkeeseen arvioija jokaiselle riville.",
        "5. Älä muuta teema_id-saraketta äläkä poista rivejä. Tallenna tiedosto ja palauta se "
        "tiimille.",
        "Merkintä 'uusi' tarkoittaa, että teema löytyi ensimmäistä kertaa tällä ajolla.",
        "Alle {n} asiakkaan luvut näytetään muodossa 'alle {n}' tietosuojan vuoksi.",
    ],
    "en": [
        "How to review the themes",
        "1. Read each theme's name, keywords and excerpts on the Themes sheet.",
        "2. Pick one decision: accept, reject, merge or rename.",
        "   accept = a real phenomenon; reject = not a phenomenon (e.g. a way of writing notes).",
        "   rename = accept under a new name: write it in new_name.",
        "   merge = belongs to another theme: write that theme_id in merge_into.",
        "3. You may add a description and a comment.",
        "4. Write your name or initials in reviewer on every row.",
        "5. Do not change theme_id or delete rows. Save the file and return it to the team.",
        "'new' means the theme was found for the first time in this run.",
        "Counts under {n} clients are shown as 'under {n}' for privacy.",
    ],
}


def texts(language: str) -> dict[str, str]:
    return TEXTS[language]


def no_themes_text(problem: dict, language: str) -> str:
    """ "No themes were found." and why, from a topic stage's `no_themes` metric."""
    t = texts(language)
    reason = t.get(problem.get("reason", ""), "")
    return f"{t['no_themes']} {reason.format(n=problem.get('n'), min=problem.get('min'))}".strip()
