#!/usr/bin/env python3
"""Generate the bundled synthetic sample: Finnish (and a few Swedish) social-services records.

Everything here is invented: names, personal identity codes (henkilötunnus), phone numbers,
emails and addresses are fictional; no record describes a real person. Standard library only,
deterministic (one seeded `random.Random`, no clock): running it twice gives byte-identical files.

Usage:  python data/sample/generate.py [--out DIR] [--stats]

Writes (into data/sample/ unless --out):
  records.csv        id, client_id, client_name, worker_name, date, service, municipality,
                     doc_type, text                      (the input the pipeline reads)
  gold.csv           id, theme, themes                   (tests and benchmarks only)
  planted_pii.csv    id, kind, value                     (every planted identifier, as written)
  records_more.csv, gold_more.csv, planted_pii_more.csv  (~20 % more documents, later dates,
                     one extra theme that the main file does not have)
  README.md          what the files are, theme counts

How a document is built: each theme has pools of sentence templates in three registers
(professional `pro` + `plan`, colloquial client feedback `puhe`, Swedish `sv`/`sv_puhe`); slots
in braces are filled from synonym/number pools, the client's name in the right case form, or
planted identifiers. Long documents mix 2-3 themes; the gold primary theme is the one with the
most sentences. Register (doc_type) is drawn independently of theme.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import io
import random
import re
import string
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240917
HERE = Path(__file__).resolve().parent

MAIN_START, MAIN_END = dt.date(2023, 1, 2), dt.date(2025, 6, 30)
MORE_START, MORE_END = dt.date(2025, 7, 1), dt.date(2025, 12, 19)

# ---------------------------------------------------------------------------------------------
# Names. Case forms written by hand: nominative, genitive, partitive, adessive, allative,
# ablative. Finnish inflects only the last element of a full name ("Matti Virtaselle").
# Consonant gradation (Matti -> Matin, Mäki -> Mäen, Riitta -> Riitan) and vowel harmony
# (Virtasta vs. Mäkistä, Dmitriltä) are deliberate: the redactor must catch every form.
# Names that are also common words or whose lemma is one (Anna ~ antaa, Onni ~ onneksi,
# Aino ~ ainoa, Satu, Salo, Kallio) are left out so that leak tests stay unambiguous.
# ---------------------------------------------------------------------------------------------
CASES = ("nom", "gen", "par", "ade", "all", "abl")

# first name -> (gender, age groups: y=young <26, m=middle, o=old 70+, i=immigrant, forms)
FIRST: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Matti": ("m", "m", ("Matti", "Matin", "Mattia", "Matilla", "Matille", "Matilta")),
    "Antti": ("m", "m", ("Antti", "Antin", "Anttia", "Antilla", "Antille", "Antilta")),
    "Pekka": ("m", "mo", ("Pekka", "Pekan", "Pekkaa", "Pekalla", "Pekalle", "Pekalta")),
    "Jukka": ("m", "m", ("Jukka", "Jukan", "Jukkaa", "Jukalla", "Jukalle", "Jukalta")),
    "Mikko": ("m", "m", ("Mikko", "Mikon", "Mikkoa", "Mikolla", "Mikolle", "Mikolta")),
    "Timo": ("m", "m", ("Timo", "Timon", "Timoa", "Timolla", "Timolle", "Timolta")),
    "Heikki": ("m", "o", ("Heikki", "Heikin", "Heikkiä", "Heikillä", "Heikille", "Heikiltä")),
    "Ville": ("m", "y", ("Ville", "Villen", "Villeä", "Villellä", "Villelle", "Villeltä")),
    "Juha": ("m", "m", ("Juha", "Juhan", "Juhaa", "Juhalla", "Juhalle", "Juhalta")),
    "Kari": ("m", "mo", ("Kari", "Karin", "Karia", "Karilla", "Karille", "Karilta")),
    "Sami": ("m", "m", ("Sami", "Samin", "Samia", "Samilla", "Samille", "Samilta")),
    "Eero": ("m", "y", ("Eero", "Eeron", "Eeroa", "Eerolla", "Eerolle", "Eerolta")),
    "Aleksi": ("m", "y", ("Aleksi", "Aleksin", "Aleksia", "Aleksilla", "Aleksille", "Aleksilta")),
    "Tuomas": (
        "m",
        "m",
        ("Tuomas", "Tuomaksen", "Tuomasta", "Tuomaksella", "Tuomakselle", "Tuomakselta"),
    ),
    "Joonas": (
        "m",
        "y",
        ("Joonas", "Joonaksen", "Joonasta", "Joonaksella", "Joonakselle", "Joonakselta"),
    ),
    "Markku": ("m", "o", ("Markku", "Markun", "Markkua", "Markulla", "Markulle", "Markulta")),
    "Jari": ("m", "m", ("Jari", "Jarin", "Jaria", "Jarilla", "Jarille", "Jarilta")),
    "Eino": ("m", "o", ("Eino", "Einon", "Einoa", "Einolla", "Einolle", "Einolta")),
    "Petri": ("m", "m", ("Petri", "Petrin", "Petriä", "Petrillä", "Petrille", "Petriltä")),
    "Lauri": ("m", "y", ("Lauri", "Laurin", "Lauria", "Laurilla", "Laurille", "Laurilta")),
    "Veikko": ("m", "o", ("Veikko", "Veikon", "Veikkoa", "Veikolla", "Veikolle", "Veikolta")),
    "Liisa": ("f", "m", ("Liisa", "Liisan", "Liisaa", "Liisalla", "Liisalle", "Liisalta")),
    "Maria": ("f", "m", ("Maria", "Marian", "Mariaa", "Marialla", "Marialle", "Marialta")),
    "Sari": ("f", "m", ("Sari", "Sarin", "Saria", "Sarilla", "Sarille", "Sarilta")),
    "Tiina": ("f", "m", ("Tiina", "Tiinan", "Tiinaa", "Tiinalla", "Tiinalle", "Tiinalta")),
    "Minna": ("f", "m", ("Minna", "Minnan", "Minnaa", "Minnalla", "Minnalle", "Minnalta")),
    "Hanna": ("f", "m", ("Hanna", "Hannan", "Hannaa", "Hannalla", "Hannalle", "Hannalta")),
    "Sirpa": ("f", "o", ("Sirpa", "Sirpan", "Sirpaa", "Sirpalla", "Sirpalle", "Sirpalta")),
    "Emma": ("f", "y", ("Emma", "Emman", "Emmaa", "Emmalla", "Emmalle", "Emmalta")),
    "Helmi": ("f", "y", ("Helmi", "Helmin", "Helmiä", "Helmillä", "Helmille", "Helmiltä")),
    "Kaarina": (
        "f",
        "o",
        ("Kaarina", "Kaarinan", "Kaarinaa", "Kaarinalla", "Kaarinalle", "Kaarinalta"),
    ),
    "Riitta": ("f", "o", ("Riitta", "Riitan", "Riittaa", "Riitalla", "Riitalle", "Riitalta")),
    "Pirjo": ("f", "o", ("Pirjo", "Pirjon", "Pirjoa", "Pirjolla", "Pirjolle", "Pirjolta")),
    "Marjatta": (
        "f",
        "o",
        ("Marjatta", "Marjatan", "Marjattaa", "Marjatalla", "Marjatalle", "Marjatalta"),
    ),
    "Laura": ("f", "y", ("Laura", "Lauran", "Lauraa", "Lauralla", "Lauralle", "Lauralta")),
    "Jenna": ("f", "y", ("Jenna", "Jennan", "Jennaa", "Jennalla", "Jennalle", "Jennalta")),
    "Noora": ("f", "y", ("Noora", "Nooran", "Nooraa", "Nooralla", "Nooralle", "Nooralta")),
    "Katja": ("f", "m", ("Katja", "Katjan", "Katjaa", "Katjalla", "Katjalle", "Katjalta")),
    "Eila": ("f", "o", ("Eila", "Eilan", "Eilaa", "Eilalla", "Eilalle", "Eilalta")),
    "Merja": ("f", "m", ("Merja", "Merjan", "Merjaa", "Merjalla", "Merjalle", "Merjalta")),
    "Elina": ("f", "y", ("Elina", "Elinan", "Elinaa", "Elinalla", "Elinalle", "Elinalta")),
    "Anneli": ("f", "o", ("Anneli", "Annelin", "Annelia", "Annelilla", "Annelille", "Annelilta")),
    # immigrant names by origin: ia = Arabic/Somali, is = Ukrainian/Russian, iv = Vietnamese
    "Ahmed": ("m", "ia", ("Ahmed", "Ahmedin", "Ahmedia", "Ahmedilla", "Ahmedille", "Ahmedilta")),
    "Amir": ("m", "ia", ("Amir", "Amirin", "Amiria", "Amirilla", "Amirille", "Amirilta")),
    "Abdi": ("m", "ia", ("Abdi", "Abdin", "Abdia", "Abdilla", "Abdille", "Abdilta")),
    "Mustafa": (
        "m",
        "ia",
        ("Mustafa", "Mustafan", "Mustafaa", "Mustafalla", "Mustafalle", "Mustafalta"),
    ),
    "Omar": ("m", "ia", ("Omar", "Omarin", "Omaria", "Omarilla", "Omarille", "Omarilta")),
    "Fatima": ("f", "ia", ("Fatima", "Fatiman", "Fatimaa", "Fatimalla", "Fatimalle", "Fatimalta")),
    "Hodan": ("f", "ia", ("Hodan", "Hodanin", "Hodania", "Hodanilla", "Hodanille", "Hodanilta")),
    "Leyla": ("f", "ia", ("Leyla", "Leylan", "Leylaa", "Leylalla", "Leylalle", "Leylalta")),
    "Aisha": ("f", "ia", ("Aisha", "Aishan", "Aishaa", "Aishalla", "Aishalle", "Aishalta")),
    "Dmitri": ("m", "is", ("Dmitri", "Dmitrin", "Dmitriä", "Dmitrillä", "Dmitrille", "Dmitriltä")),
    "Sergei": ("m", "is", ("Sergei", "Sergein", "Sergeitä", "Sergeillä", "Sergeille", "Sergeiltä")),
    "Maksym": (
        "m",
        "is",
        ("Maksym", "Maksymin", "Maksymia", "Maksymilla", "Maksymille", "Maksymilta"),
    ),
    "Olena": ("f", "is", ("Olena", "Olenan", "Olenaa", "Olenalla", "Olenalle", "Olenalta")),
    "Oksana": ("f", "is", ("Oksana", "Oksanan", "Oksanaa", "Oksanalla", "Oksanalle", "Oksanalta")),
    "Natalia": (
        "f",
        "is",
        ("Natalia", "Natalian", "Nataliaa", "Natalialla", "Natalialle", "Natalialta"),
    ),
    "Iryna": ("f", "is", ("Iryna", "Irynan", "Irynaa", "Irynalla", "Irynalle", "Irynalta")),
    "Minh": ("m", "iv", ("Minh", "Minhin", "Minhiä", "Minhillä", "Minhille", "Minhiltä")),
    "Linh": ("f", "iv", ("Linh", "Linhin", "Linhiä", "Linhillä", "Linhille", "Linhiltä")),
    "Thu": ("f", "iv", ("Thu", "Thun", "Thuta", "Thulla", "Thulle", "Thulta")),
}

# last name -> (origin: fi, or an immigrant origin as in FIRST, forms)
LAST: dict[str, tuple[str, tuple[str, ...]]] = {
    "Virtanen": (
        "fi",
        ("Virtanen", "Virtasen", "Virtasta", "Virtasella", "Virtaselle", "Virtaselta"),
    ),
    "Korhonen": (
        "fi",
        ("Korhonen", "Korhosen", "Korhosta", "Korhosella", "Korhoselle", "Korhoselta"),
    ),
    "Mäkinen": ("fi", ("Mäkinen", "Mäkisen", "Mäkistä", "Mäkisellä", "Mäkiselle", "Mäkiseltä")),
    "Nieminen": (
        "fi",
        ("Nieminen", "Niemisen", "Niemistä", "Niemisellä", "Niemiselle", "Niemiseltä"),
    ),
    "Mäkelä": ("fi", ("Mäkelä", "Mäkelän", "Mäkelää", "Mäkelällä", "Mäkelälle", "Mäkelältä")),
    "Hämäläinen": (
        "fi",
        ("Hämäläinen", "Hämäläisen", "Hämäläistä", "Hämäläisellä", "Hämäläiselle", "Hämäläiseltä"),
    ),
    "Laine": ("fi", ("Laine", "Laineen", "Lainetta", "Laineella", "Laineelle", "Laineelta")),
    "Heikkinen": (
        "fi",
        ("Heikkinen", "Heikkisen", "Heikkistä", "Heikkisellä", "Heikkiselle", "Heikkiseltä"),
    ),
    "Koskinen": (
        "fi",
        ("Koskinen", "Koskisen", "Koskista", "Koskisella", "Koskiselle", "Koskiselta"),
    ),
    "Järvinen": (
        "fi",
        ("Järvinen", "Järvisen", "Järvistä", "Järvisellä", "Järviselle", "Järviseltä"),
    ),
    "Lehtonen": (
        "fi",
        ("Lehtonen", "Lehtosen", "Lehtosta", "Lehtosella", "Lehtoselle", "Lehtoselta"),
    ),
    "Lehtinen": (
        "fi",
        ("Lehtinen", "Lehtisen", "Lehtistä", "Lehtisellä", "Lehtiselle", "Lehtiseltä"),
    ),
    "Saarinen": (
        "fi",
        ("Saarinen", "Saarisen", "Saarista", "Saarisella", "Saariselle", "Saariselta"),
    ),
    "Salminen": (
        "fi",
        ("Salminen", "Salmisen", "Salmista", "Salmisella", "Salmiselle", "Salmiselta"),
    ),
    "Heinonen": (
        "fi",
        ("Heinonen", "Heinosen", "Heinosta", "Heinosella", "Heinoselle", "Heinoselta"),
    ),
    "Niemi": ("fi", ("Niemi", "Niemen", "Niemeä", "Niemellä", "Niemelle", "Niemeltä")),
    "Mäki": ("fi", ("Mäki", "Mäen", "Mäkeä", "Mäellä", "Mäelle", "Mäeltä")),
    "Kinnunen": (
        "fi",
        ("Kinnunen", "Kinnusen", "Kinnusta", "Kinnusella", "Kinnuselle", "Kinnuselta"),
    ),
    "Turunen": ("fi", ("Turunen", "Turusen", "Turusta", "Turusella", "Turuselle", "Turuselta")),
    "Rantanen": (
        "fi",
        ("Rantanen", "Rantasen", "Rantasta", "Rantasella", "Rantaselle", "Rantaselta"),
    ),
    "Karjalainen": (
        "fi",
        (
            "Karjalainen",
            "Karjalaisen",
            "Karjalaista",
            "Karjalaisella",
            "Karjalaiselle",
            "Karjalaiselta",
        ),
    ),
    "Jokinen": ("fi", ("Jokinen", "Jokisen", "Jokista", "Jokisella", "Jokiselle", "Jokiselta")),
    "Ahonen": ("fi", ("Ahonen", "Ahosen", "Ahosta", "Ahosella", "Ahoselle", "Ahoselta")),
    "Pitkänen": (
        "fi",
        ("Pitkänen", "Pitkäsen", "Pitkästä", "Pitkäsellä", "Pitkäselle", "Pitkäseltä"),
    ),
    "Räsänen": ("fi", ("Räsänen", "Räsäsen", "Räsästä", "Räsäsellä", "Räsäselle", "Räsäseltä")),
    "Lahtinen": (
        "fi",
        ("Lahtinen", "Lahtisen", "Lahtista", "Lahtisella", "Lahtiselle", "Lahtiselta"),
    ),
    "Hiltunen": (
        "fi",
        ("Hiltunen", "Hiltusen", "Hiltusta", "Hiltusella", "Hiltuselle", "Hiltuselta"),
    ),
    "Savolainen": (
        "fi",
        ("Savolainen", "Savolaisen", "Savolaista", "Savolaisella", "Savolaiselle", "Savolaiselta"),
    ),
    "Lappalainen": (
        "fi",
        (
            "Lappalainen",
            "Lappalaisen",
            "Lappalaista",
            "Lappalaisella",
            "Lappalaiselle",
            "Lappalaiselta",
        ),
    ),
    "Honkanen": (
        "fi",
        ("Honkanen", "Honkasen", "Honkasta", "Honkasella", "Honkaselle", "Honkaselta"),
    ),
    "Tuominen": (
        "fi",
        ("Tuominen", "Tuomisen", "Tuomista", "Tuomisella", "Tuomiselle", "Tuomiselta"),
    ),
    "Peltonen": (
        "fi",
        ("Peltonen", "Peltosen", "Peltosta", "Peltosella", "Peltoselle", "Peltoselta"),
    ),
    "Aaltonen": (
        "fi",
        ("Aaltonen", "Aaltosen", "Aaltosta", "Aaltosella", "Aaltoselle", "Aaltoselta"),
    ),
    "Hakala": ("fi", ("Hakala", "Hakalan", "Hakalaa", "Hakalalla", "Hakalalle", "Hakalalta")),
    "Kivelä": ("fi", ("Kivelä", "Kivelän", "Kivelää", "Kivelällä", "Kivelälle", "Kivelältä")),
    "Lindholm": (
        "fi",
        ("Lindholm", "Lindholmin", "Lindholmia", "Lindholmilla", "Lindholmille", "Lindholmilta"),
    ),
    "Nyström": (
        "fi",
        ("Nyström", "Nyströmin", "Nyströmiä", "Nyströmillä", "Nyströmille", "Nyströmiltä"),
    ),
    # immigrant surnames by origin (as FIRST); a trailing f/m marks a gendered surname
    "Hassan": ("ia", ("Hassan", "Hassanin", "Hassania", "Hassanilla", "Hassanille", "Hassanilta")),
    "Mohamed": (
        "ia",
        ("Mohamed", "Mohamedin", "Mohamedia", "Mohamedilla", "Mohamedille", "Mohamedilta"),
    ),
    "Yusuf": ("ia", ("Yusuf", "Yusufin", "Yusufia", "Yusufilla", "Yusufille", "Yusufilta")),
    "Abdullahi": (
        "ia",
        ("Abdullahi", "Abdullahin", "Abdullahia", "Abdullahilla", "Abdullahille", "Abdullahilta"),
    ),
    "Warsame": (
        "ia",
        ("Warsame", "Warsamen", "Warsamea", "Warsamella", "Warsamelle", "Warsamelta"),
    ),
    "Kovalenko": (
        "is",
        ("Kovalenko", "Kovalenkon", "Kovalenkoa", "Kovalenkolla", "Kovalenkolle", "Kovalenkolta"),
    ),
    "Shevchenko": (
        "is",
        (
            "Shevchenko",
            "Shevchenkon",
            "Shevchenkoa",
            "Shevchenkolla",
            "Shevchenkolle",
            "Shevchenkolta",
        ),
    ),
    "Ivanova": (
        "isf",
        ("Ivanova", "Ivanovan", "Ivanovaa", "Ivanovalla", "Ivanovalle", "Ivanovalta"),
    ),
    "Smirnova": (
        "isf",
        ("Smirnova", "Smirnovan", "Smirnovaa", "Smirnovalla", "Smirnovalle", "Smirnovalta"),
    ),
    "Petrov": ("ism", ("Petrov", "Petrovin", "Petrovia", "Petrovilla", "Petroville", "Petrovilta")),
    "Smirnov": (
        "ism",
        ("Smirnov", "Smirnovin", "Smirnovia", "Smirnovilla", "Smirnoville", "Smirnovilta"),
    ),
    "Nguyen": ("iv", ("Nguyen", "Nguyenin", "Nguyenia", "Nguyenilla", "Nguyenille", "Nguyenilta")),
    "Tran": ("iv", ("Tran", "Tranin", "Trania", "Tranilla", "Tranille", "Tranilta")),
    "Pham": ("iv", ("Pham", "Phamin", "Phamia", "Phamilla", "Phamille", "Phamilta")),
}

# Finland-Swedish clients (their records are in Swedish; Swedish genitive adds -s).
SV_FIRST = {
    "Erik": "m",
    "Johan": "m",
    "Mikael": "m",
    "Björn": "m",
    "Henrik": "m",
    "Karin": "f",
    "Lena": "f",
    "Ebba": "f",
    "Ulla": "f",
    "Sofia": "f",
}
SV_LAST = [
    "Sjöberg",
    "Holmberg",
    "Lindqvist",
    "Ekström",
    "Wikström",
    "Grönroos",
    "Backman",
    "Westerlund",
]

# Relatives named in the text but never in the structured fields.
ROLES: dict[str, tuple[str, dict[str, str], str]] = {
    # role -> (gender or "", Finnish forms, Swedish word)
    "äiti": ("f", {"nom": "äiti", "gen": "äidin", "all": "äidille"}, "mamma"),
    "isä": ("m", {"nom": "isä", "gen": "isän", "all": "isälle"}, "pappa"),
    "poika": ("m", {"nom": "poika", "gen": "pojan", "all": "pojalle"}, "son"),
    "tytär": ("f", {"nom": "tytär", "gen": "tyttären", "all": "tyttärelle"}, "dotter"),
    "sisko": ("f", {"nom": "sisko", "gen": "siskon", "all": "siskolle"}, "syster"),
    "veli": ("m", {"nom": "veli", "gen": "veljen", "all": "veljelle"}, "bror"),
    "puoliso": ("", {"nom": "puoliso", "gen": "puolison", "all": "puolisolle"}, "partner"),
}
ROLES_BY_AGE = {
    "y": ["äiti", "isä", "sisko", "veli"],
    "m": ["puoliso", "äiti", "sisko", "veli", "poika", "tytär"],
    "o": ["poika", "tytär", "puoliso", "sisko"],
}

# ---------------------------------------------------------------------------------------------
# Place: the seven municipalities of one (eastern Uusimaa-like) wellbeing services county:
# one town, two mid-sized, four small rural ones. Bilingual, so Swedish records are natural.
# ---------------------------------------------------------------------------------------------
MUNICIPALITIES = {  # name -> (weight, rural, postcodes)
    "Porvoo": (40, False, ["06100", "06150", "06400", "06500"]),
    "Sipoo": (16, False, ["04130", "04150", "01150"]),
    "Loviisa": (13, False, ["07900", "07910", "07940"]),
    "Askola": (6, True, ["07500", "07510"]),
    "Lapinjärvi": (5, True, ["07800"]),
    "Pukkila": (4, True, ["07560"]),
    "Myrskylä": (4, True, ["07600"]),
}
TOWN_STREETS = [
    "Kauppakatu",
    "Koulukatu",
    "Puistokatu",
    "Rauhankatu",
    "Tehtaankatu",
    "Aleksanterinkatu",
    "Jokikatu",
    "Kirkkokatu",
    "Asemakatu",
    "Välikatu",
    "Lukiokatu",
    "Runebergintie",
]
RURAL_STREETS = [
    "Kyläntie",
    "Myllytie",
    "Peltotie",
    "Koivukuja",
    "Metsätie",
    "Rantatie",
    "Mäntytie",
    "Kuusitie",
    "Pajatie",
    "Kirkkotie",
    "Vanha maantie",
    "Harjutie",
]

SERVICES = [
    "aikuissosiaalityö",
    "lastensuojelu",
    "vammaispalvelut",
    "ikääntyneiden palvelut",
    "päihde- ja mielenterveyspalvelut",
    "työllisyyspalvelut",
]
DOC_TYPES = [
    "palvelutarpeen_arviointi",
    "asiakaspalaute",
    "aktivointisuunnitelma",
    "sosiaalinen_raportti",
]
DOC_TYPE_WEIGHTS = [30, 30, 15, 25]
WORKER_TITLES = [
    "sosiaalityöntekijä",
    "sosiaaliohjaaja",
    "palveluohjaaja",
    "erityissosiaalityöntekijä",
]

# ---------------------------------------------------------------------------------------------
# Shared fillers. Numerals are written as words where Finnish would (and in the case the
# template needs: "kolme kuukautta", "kolmen kuukauden", "kolmeen kuukauteen").
# ---------------------------------------------------------------------------------------------


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


FILL = {
    "eur": lambda r: _thousands(r.randrange(400, 6001, 50)),
    "eur_small": lambda r: str(r.randrange(90, 601, 10)),
    "eur_big": lambda r: _thousands(r.randrange(3000, 45001, 100)),
    "vuokra": lambda r: str(r.randrange(520, 1151, 5)),
    "kk": ["kaksi", "kolme", "neljä", "viisi", "kuusi", "kahdeksan", "4", "6", "9"],
    "kk_gen": ["kahden", "kolmen", "neljän", "viiden", "kuuden"],
    "kk_ill": ["kahteen", "kolmeen", "neljään", "viiteen", "kuuteen"],
    "vk": ["kaksi", "kolme", "neljä", "kuusi", "kahdeksan", "5", "10", "12"],
    "vk_gen": ["kahden", "kolmen", "neljän", "kuuden", "kahdeksan"],
    "n": ["kaksi", "kolme", "neljä", "viisi"],
    "km": lambda r: str(r.randrange(12, 49)),
    "km_iso": lambda r: str(r.randrange(60, 111, 5)),
    "km_pieni": ["kolme", "neljä", "viisi", "seitsemän"],
    "n_tunti": lambda r: str(r.randrange(60, 321, 10)),
    "vuosi": ["2018", "2019", "2020", "2021", "2022"],
    "aika_sitten": [
        "viime viikolla",
        "kaksi viikkoa sitten",
        "kuukausi sitten",
        "joulun alla",
        "kesällä",
        "keväällä",
        "syyslomalla",
    ],
    # colloquial numbers
    "kk_p": ["kaks", "kolme", "neljä", "viis", "kuus", "8", "10"],
    "vk_p": ["kaks", "kolme", "neljä", "viis", "kuus"],
    "n_p": ["kaks", "kolme", "viis", "kymmenen", "monta"],
    "eur_p": lambda r: str(r.randrange(200, 3001, 100)),
    # Swedish
    "vk_sv": ["tre", "fyra", "sex", "åtta"],
    "kk_sv": ["två", "tre", "fyra", "sex"],
    "n_sv": ["tre", "fyra", "fem"],
}

# ---------------------------------------------------------------------------------------------
# Themes. {A_case}: the client as subject/object (asiakas / nuori / hän / the client's name in
# that case). Swedish {K_nom}/{K_gen}: klienten / klientens / name. Other slots: FILL or the
# theme's own `fill`. `pro` = observations, `plan` = actions, `puhe` = client feedback.
# ---------------------------------------------------------------------------------------------
THEMES: dict[str, dict] = {}

THEMES["asuminen"] = dict(
    name="Asunnottomuus ja asumisen ongelmat",
    fill=dict(
        hatopaiva=[
            "ensi kuun puolivälissä",
            "kahden viikon kuluttua",
            "kuun lopussa",
            "lokakuun alussa",
            "heti joulun jälkeen",
        ],
        posti=[
            "sisaren osoitteeseen",
            "sosiaalitoimiston kautta",
            "tuttavan osoitteeseen",
            "poste restante -osoitteeseen",
        ],
        nukkumapaikka=[
            "rappukäytävissä",
            "autossaan",
            "tuttavien sohvilla",
            "kesämökillä ilman lämmitystä",
            "yöbusseissa",
        ],
        maaraika=["kuun loppuun mennessä", "kahden viikon sisällä", "ennen vuodenvaihdetta"],
        lapsia=["kahden", "kolmen", "neljän"],
        tavoiteaika=[
            "kevään aikana",
            "puolen vuoden sisällä",
            "ennen talvea",
            "mahdollisimman pian",
        ],
    ),
    pro=[
        "{A_gen} asumistilanne on epävakaa, ja vuokrarästejä on kertynyt noin {eur} euroa.",
        "{A_nom} on ollut ilman vakituista asuntoa {kk} kuukautta ja majoittuu tuttaviensa luona.",
        "Vuokranantaja on lähettänyt {A_all} maksukehotuksen, jossa uhataan vuokrasopimuksen "
        "purkamisella.",
        "Käräjäoikeus on antanut häätöpäätöksen, ja häätö on määrä toimeenpanna {hatopaiva}.",
        "{A_nom} asuu tällä hetkellä tilapäismajoituksessa ensisuojassa.",
        "{A_ade} ei ole omaa osoitetta, ja posti kulkee {posti}.",
        "Asunnon kunto on heikentynyt: ikkunoita on rikki ja kylpyhuoneessa on kosteusvaurio.",
        "{A_nom} on hakenut vuokra-asuntoa kunnan vuokrataloyhtiöltä, mutta hakemus on "
        "edelleen jonossa.",
        "Vuokrasopimus on purettu häiritsevän elämän vuoksi, ja {A_ade} on muuttovelvollisuus "
        "{maaraika}.",
        "{A_nom} nukkuu ajoittain {nukkumapaikka}, koska muuta yöpaikkaa ei ole.",
        "Asumistukihakemus on ollut vireillä pitkään, eikä vuokraa ole pystytty maksamaan "
        "kahteen kuukauteen.",
        "Asunnossa on havaittu vakavaa epäsiisteyttä, ja isännöitsijä on tehnyt asiasta "
        "ilmoituksen.",
        "{A_nom} pelkää menettävänsä kotinsa, sillä vuokranmaksu on myöhästynyt toistuvasti.",
        "Nykyinen asunto on liian kallis tuloihin nähden: vuokra on {vuokra} euroa kuukaudessa.",
        "Asumisneuvoja on ollut yhteydessä isännöitsijään rästien sopimiseksi.",
        "{A_nom} on asunut {kk} kuukautta asuntolassa, jossa olo on turvaton ja levoton.",
        "Eron jälkeen {A_nom} jäi ilman asuntoa ja asuu nyt väliaikaisesti sukulaisten luona.",
        "Vuokravakuutta ei ole pystytty maksamaan, minkä vuoksi uuden asunnon saaminen on "
        "viivästynyt.",
        "Vuokrarästit ovat kasvaneet noin {eur} euroon, ja asia on siirtymässä perintätoimistolle.",
        "{A_ade} ei ole ollut pysyvää asuntoa vuoden {vuosi} jälkeen.",
        "Asunnon lämmitys ei toimi kunnolla, ja talvella sisälämpötila on laskenut alle "
        "viidentoista asteen.",
        "Häädön uhka kuormittaa {A_par} selvästi, ja yöunet ovat jääneet vähiin.",
        "Asuntoa on haettu sekä kaupungin vuokrataloista että yksityisiltä markkinoilta, "
        "toistaiseksi tuloksetta.",
        "Naapurit ovat valittaneet meluhaitoista, ja vuokrasuhteen jatkuminen on epävarmaa.",
        "{A_nom} asuu {lapsia} lapsen kanssa yksiössä, ja asunto on perheelle aivan liian ahdas.",
        "Asunnottomuuden pitkittyminen vaikeuttaa myös muiden palvelujen järjestämistä.",
        "Vuokranantaja on ilmoittanut, ettei vuokrasopimusta jatketa määräajan päättyessä.",
        "{A_nom} on joutunut muuttamaan {n} kertaa viimeisen vuoden aikana.",
    ],
    plan=[
        "Asiakas ohjataan asumisneuvojalle vuokrarästien maksusuunnitelman laatimiseksi.",
        "Selvitetään mahdollisuus tuettuun asumiseen tai asumispalveluyksikköön.",
        "Haetaan harkinnanvaraista toimeentulotukea rästeihin häädön estämiseksi.",
        "Sosiaalityöntekijä on yhteydessä vuokranantajaan ja pyytää lykkäystä häädön "
        "toimeenpanoon.",
        "Tehdään kiireellinen asuntohakemus, johon liitetään sosiaalityöntekijän lausunto.",
        "Tavoitteena on, että {A_nom} saa pysyvän asunnon {tavoiteaika}.",
        "Asumisen ohjaaja käy kotikäynneillä kahden viikon välein.",
        "Kartoitetaan järjestöjen ja kaupungin vapautuvat vuokra-asunnot.",
        "Vuokravakuudesta annetaan maksusitoumus, kun uusi vuokrasopimus on allekirjoitettu.",
    ],
    puhe=[
        "mulla on vuokrat rästissä ja isännöitsijä uhkaa häädöllä",
        "en tiiä missä mä nukun ens viikolla, oon ollu kavereilla sohvalla",
        "asunto on ihan homeessa eikä kukaan tee mitään vaikka oon valittanu monta kertaa",
        "saatiin häätöpaperit ja lapset on ihan paniikissa",
        "miks asuntojono kestää näin kauan, oon ollu jonossa {kk_p} kuukautta",
        "vuokranantaja sano et jos en maksa {eur_p} euroo tän kuun aikana ni joudun lähtee",
        "asuntolassa on tosi levotonta, en saa nukuttua ja pelottaa",
        "kiitos kun autoitte saamaan asunnon, nyt on vihdoin oma koti",
        "vuokra on liian iso mun tuloihin, jää ihan liian vähän ruokaan",
        "olis kiva et joku auttais ettimään kämppää, yksin en jaksa",
        "asumisneuvoja oli tosi hyvä apu, sain sovittua rästeistä",
        "mulla ei oo osotetta nii en saa postia mistään",
        "ero tuli ja jäin ilman kämppää, nyt asun sukulaisten nurkissa",
        "lämmitys ei toimi ja talvella on tosi kylmä",
        "mä oon ollu koditon kohta vuoden eikä mikään muutu",
        "vakuutta ei myönnetty vaik mulla ois ollu asunto tiedossa",
        "en haluu menettää tätä kotia mut rahat ei riitä vuokraan",
    ],
    sv=[
        "{K_nom} har hyresskulder på cirka {eur} euro och riskerar vräkning.",
        "{K_nom} saknar egen bostad och bor tillfälligt hos en bekant.",
        "Hyresvärden har sagt upp hyresavtalet och klienten måste flytta före månadens slut.",
        "Ansökan om hyresbostad har varit anhängig i flera månader utan resultat.",
        "Bostaden är i dåligt skick och det finns fuktskador i badrummet.",
        "Klienten hänvisas till boenderådgivaren för att göra upp en betalningsplan.",
    ],
    sv_puhe=[
        "jag har inte betalat hyran på två månader och nu hotar de med vräkning",
        "har ingen bostad just nu, sover hos kompisar",
    ],
)

THEMES["velat_toimeentulo"] = dict(
    name="Velat ja toimeentulotuki",
    fill={},
    pro=[
        "{A_ade} on ulosotossa velkoja yhteensä noin {eur_big} euroa.",
        "Toimeentulotukihakemus on ollut Kelassa käsittelyssä jo {vk} viikkoa, eikä päätöstä "
        "ole tullut.",
        "{A_nom} on saanut Kelalta kielteisen päätöksen perustoimeentulotuesta puuttuvien "
        "liitteiden vuoksi.",
        "Ulosotto pidättää etuudesta suojaosuuden ylittävän osan, ja käteen jää noin "
        "{eur_small} euroa kuukaudessa.",
        "{A_nom} on ottanut useita pikavippejä kattaakseen välttämättömiä menoja.",
        "Maksuhäiriömerkintä estää {A_par} saamasta omaa puhelinliittymää.",
        "Rahat loppuvat tyypillisesti kuun puolivälissä, ja {A_nom} on turvautunut ruoka-apuun.",
        "Kelan päätös on viivästynyt, ja {A_nom} on ollut ilman tuloja {vk} viikkoa.",
        "{A_ade} on maksamattomia sairaalalaskuja ja asiakasmaksuja noin {eur} euroa.",
        "Velkoja on kertynyt myös luottokorteista ja osamaksusopimuksista.",
        "Täydentävää toimeentulotukea on haettu lääkekuluihin, mutta hakemus on vielä "
        "käsittelemättä.",
        "{A_nom} ei ole avannut laskuja moneen kuukauteen, ja kirjeitä on kertynyt pinoittain.",
        "Perintätoimiston kirjeet ahdistavat {A_par}, eikä kokonaisuudesta ole selkeää kuvaa.",
        "{A_nom} on hakenut velkajärjestelyä, mutta käsittely on kesken.",
        "Kela on perinyt takaisin liikaa maksettua etuutta, mikä on kiristänyt taloutta "
        "entisestään.",
        "Talousneuvonnassa on todettu, että tulot eivät riitä kattamaan kiinteitä menoja.",
        "{A_ade} ei ole ollut varaa ostaa reseptilääkkeitä, koska maksusitoumusta ei saatu "
        "ajoissa.",
        "Toimeentulotukilaskelmassa ei ole huomioitu todellisia asumismenoja, ja päätöksestä "
        "on haettu oikaisua.",
        "Ruokaa {A_nom} saa seurakunnan ruoka-avusta kerran viikossa.",
        "Sähkölasku on jäänyt maksamatta, ja sähköyhtiö on uhannut katkaista sähköt.",
        "Kelan puhelinpalveluun on vaikea päästä läpi, ja jonotusajat venyvät tunteihin.",
        "Velkojen kokonaismäärä on noussut noin {eur_big} euroon korkojen ja perintäkulujen "
        "vuoksi.",
        "{A_nom} on lainannut rahaa sukulaisilta, ja välit ovat tästä syystä kiristyneet.",
        "Takaisinperintäpäätös tuli yllätyksenä, ja {A_nom} on pyytänyt siihen oikaisua.",
        "Perustoimeentulotuen käsittelyaika on ylittänyt lakisääteiset seitsemän arkipäivää.",
        "Kuukausibudjetin laatiminen on {A_all} vaikeaa, ja rahaa kuluu suunnittelematta.",
        "Maksamattomat laskut ovat siirtyneet ulosottoon, ja palkasta tehdään pidätys.",
    ],
    plan=[
        "Asiakas ohjataan talous- ja velkaneuvontaan.",
        "Haetaan ehkäisevää toimeentulotukea kertaluonteisiin menoihin.",
        "Tehdään Kelalle oikaisuvaatimus kielteisestä toimeentulotukipäätöksestä.",
        "Selvitetään mahdollisuus sosiaaliseen luototukseen.",
        "Laaditaan yhdessä kuukausibudjetti ja seurataan sen toteutumista.",
        "Pyydetään ulosottoviranomaiselta vapaakuukausia.",
        "Asiakasta avustetaan puuttuvien liitteiden toimittamisessa Kelaan.",
        "Selvitetään, voidaanko sairaalalaskuista hakea asiakasmaksun alentamista.",
    ],
    puhe=[
        "en oo saanu mitään apua kelasta, hakemus on ollu kuukausia jumissa",
        "ulosotto vie kaiken ja käteen jää just ja just ruokarahat",
        "kela hylkäs taas mun hakemuksen kun joku liite puuttu",
        "mulla on vippejä niin paljon etten ees tiiä paljonko",
        "joka kuu rahat loppuu ennen ku seuraavat tulee",
        "soitin kelaan {n_p} kertaa eikä kukaan vastannu",
        "velkaneuvoja auttoi tosi paljon, nyt on vihdoin suunnitelma",
        "en uskalla avata postia ku siellä on vaan laskuja",
        "ei oo varaa lääkkeisiin ja apteekissa sanottiin et maksusitoumus puuttuu",
        "kävin ruoka-avussa taas kun ei ollu mitään syötävää",
        "miks kelan päätöksiä pitää oottaa näin kauan, laskut ei ootaa",
        "sain perintäkirjeen {eur_p} eurosta enkä ees muista mistä se on",
        "toimeentulotuki ei riitä mihinkään kun kaikki on niin kallista",
        "oon ihan stressaantunu näistä veloista, en saa nukuttua",
        "takaisinperintä tuli ihan puskista, mistä mä ne rahat maksan",
        "kiitti ku autoitte sen oikasuvaatimuksen kanssa",
    ],
    sv=[
        "{K_nom} har skulder hos utsökningen på sammanlagt cirka {eur_big} euro.",
        "Ansökan om utkomststöd har behandlats hos FPA i över {vk_sv} veckor.",
        "FPA har gett ett negativt beslut om grundläggande utkomststöd på grund av bristande "
        "bilagor.",
        "{K_nom} har tagit flera snabblån för att klara de dagliga utgifterna.",
        "Pengarna tar slut i mitten av månaden och klienten har fått matbiståndet.",
        "Klienten hänvisas till ekonomi- och skuldrådgivningen.",
    ],
    sv_puhe=[
        "FPA har inte svarat på min ansökan på flera veckor",
        "pengarna tar slut mitt i månaden",
    ],
)

THEMES["paihdehoito_jonot"] = dict(
    name="Päihdehoitoon jonottaminen",
    fill={},
    pro=[
        "{A_nom} on jonottanut katkaisuhoitoon {vk} viikkoa, ja odotusaikana käyttö on jatkunut.",
        "Päihdekuntoutukseen pääsyä on odotettu jo {kk} kuukautta.",
        "{A_nom} on motivoitunut hoitoon, mutta laitoskuntoutukseen ei ole vapaita paikkoja.",
        "Alkoholinkäyttö on {A_gen} oman arvion mukaan lisääntynyt päivittäiseksi.",
        "Opioidikorvaushoidon arviointijakso on sovittu vasta {kk_gen} kuukauden päähän.",
        "Hoitoon hakeutuminen on jäänyt kesken, koska ajanvaraukseen ei ole saatu yhteyttä.",
        "{A_nom} kertoo käyttävänsä amfetamiinia ja kannabista lähes päivittäin.",
        "Avohoidon päihdetyöntekijälle pääsee tällä hetkellä vasta {vk_gen} viikon kuluttua.",
        "Katkaisuhoitopaikkaa on kysytty useasti, mutta sitä ei ole järjestynyt.",
        "Pitkä odotusaika on heikentänyt {A_gen} hoitomotivaatiota.",
        "Retkahdus tapahtui {aika_sitten}, ja sen jälkeen käyttö on ollut runsasta.",
        "A-klinikan jonot ovat pitkät, ja {A_nom} on ohjattu odottamaan yhteydenottoa.",
        "Laitoskuntoutuksen maksusitoumus on hakemuksessa, ja käsittely kestää arviolta {vk} "
        "viikkoa.",
        "Päihteiden käyttö on vaikuttanut {A_gen} työkykyyn ja ihmissuhteisiin.",
        "{A_nom} on käynyt selviämisasemalla {n} kertaa viimeisen kuukauden aikana.",
        "Rauhoittavia lääkkeitä on käytetty ohjeesta poiketen ja muiden kuin lääkärin määräämänä.",
        "Hoitojonossa odottaessa ei ole tarjottu korvaavaa tukea, mikä lisää retkahdusriskiä.",
        "Päihdepsykiatrian poliklinikalle on tehty lähete, mutta aikaa ei ole vielä annettu.",
        "{A_nom} on ollut raittiina {vk} viikkoa ja toivoo pääsevänsä jatkohoitoon "
        "mahdollisimman pian.",
        "Yhteisöhoitoon pääsy edellyttää katkaisuhoitoa, johon on jonoa.",
        "Huumeseulat ovat olleet positiivisia, eikä korvaushoitoon ole päästy.",
        "Pitkään jatkunut runsas juominen on aiheuttanut terveysongelmia, kuten maksa-arvojen "
        "nousua.",
        "Läheiset ovat huolissaan {A_gen} juomisesta ja ovat ottaneet yhteyttä sosiaalitoimeen.",
        "Odotusaikana {A_nom} käy matalan kynnyksen päihdepalvelussa kerran viikossa.",
        "Terveysneuvontapisteestä {A_nom} saa puhtaita välineitä, mutta hoitokontaktia ei ole.",
        "Aiemmin sovittu kuntoutusjakso peruuntui, eikä uutta aloitusaikaa ole saatu.",
        "Viikonloppuisin juominen jatkuu usein useita päiviä putkeen.",
    ],
    plan=[
        "Tehdään lähete katkaisuhoitoon ja seurataan jonotilannetta viikoittain.",
        "Haetaan maksusitoumus laitospäihdekuntoutukseen.",
        "Sovitaan odotusajaksi tiiviit tapaamiset päihdetyöntekijän kanssa.",
        "Asiakas ohjataan vertaistukiryhmään jonotuksen ajaksi.",
        "Pyydetään päihdepsykiatrian konsultaatio ennen korvaushoidon arviota.",
        "Laaditaan yhdessä retkahduksen ehkäisyn suunnitelma.",
        "Selvitetään mahdollisuus päästä kuntoutukseen toisen hyvinvointialueen yksikköön.",
    ],
    puhe=[
        "oon yrittäny päästä katkolle jo viikkoja mut ei oo paikkoja",
        "jonotus kestää niin kauan et ehdin retkahtaa monta kertaa",
        "mä haluun lopettaa juomisen mut kukaan ei auta",
        "a-klinikalle ei saa aikaa ku soittaa niin ei kukaan vastaa",
        "korvaushoitoon pääsy kestää kuukausia, ei tää oo reilua",
        "odotin kuntoutuspaikkaa {kk_p} kuukautta ja sit se peruttiin",
        "kiitos et pääsin vihdoin hoitoon, oon nyt ollu kuivilla {vk_p} viikkoo",
        "@adult mun poika käyttää ja me ollaan ihan voimattomia kun hoitoon ei pääse",
        "päihdetyöntekijä oli ainut joka oikeesti kuunteli",
        "kun sanoin et tarviin apua niin käskettiin oottaa",
        "en pysty oleen selvin päin enää pitkään jos apua ei tuu",
        "hoitojonossa ei tapahdu mitään, tuntuu et mut on unohdettu",
        "ryhmä on auttanu pysymään raittiina odotellessa",
        "pillerit loppu ja nyt on tosi paha olo",
        "olis pitäny päästä hoitoon heti ku itse pyysin",
        "selviämisasemalta vaan heitetään ulos aamulla eikä mitään jatkoa",
    ],
    sv=[
        "{K_nom} har väntat på avgiftningsvård i {vk_sv} veckor.",
        "Det finns inga lediga platser på missbruksrehabiliteringen just nu.",
        "Alkoholbruket har ökat och {K_nom} dricker enligt egen uppgift dagligen.",
        "Väntetiden till A-kliniken är flera månader.",
        "Remiss till avgiftning görs och kön följs upp varje vecka.",
    ],
    sv_puhe=[
        "jag har försökt komma in på avgiftning i flera veckor men det finns ingen plats",
        "kön till vården är alldeles för lång",
    ],
)

THEMES["nuorten_mielenterveys"] = dict(
    name="Nuorten mielenterveys ja koulupudokkuus",
    fill={},
    pro=[
        "{A_nom} on ollut pois koulusta suurimman osan syksystä ahdistuksen vuoksi.",
        "Nuorisopsykiatrian poliklinikalle on tehty lähete, mutta ensikäynti on vasta {kk_gen} "
        "kuukauden päästä.",
        "{A_nom} kertoo kärsivänsä unettomuudesta ja paniikkikohtauksista.",
        "Ammatillisen oppilaitoksen opinnot ovat keskeytyneet toisena opiskeluvuonna.",
        "{A_ade} on ollut itsetuhoisia ajatuksia, ja päivystysarvio on tehty.",
        "Koulukuraattorin mukaan poissaoloja on kertynyt yli {n_tunti} tuntia.",
        "Hoitoon pääsyä on odotettu, ja sillä välin {A_gen} vointi on heikentynyt.",
        "{A_nom} eristäytyy huoneeseensa ja pelaa öisin, päivärytmi on kääntynyt.",
        "Masennusoireilu on pitkittynyt, eikä terapiaan ole löytynyt paikkaa.",
        "{A_nom} on jäänyt ilman opiskelupaikkaa peruskoulun jälkeen ja ollut kotona {kk} "
        "kuukautta.",
        "Vanhemmat ovat huolissaan vetäytymisestä ja syömättömyydestä.",
        "Psykoterapian kuntoutushakemukseen tarvittava lausunto puuttuu, koska psykiatrille ei "
        "ole saatu aikaa.",
        "Koulunkäynti on katkonaista, ja {A_ade} on vaikeuksia lähteä aamuisin kotoa.",
        "Viiltelyä on esiintynyt aiemmin, ja tilanne on nyt huolestuttava.",
        "Opiskeluterveydenhuollon psykologille on jonoa noin {vk} viikkoa.",
        "{A_nom} kokee, ettei kukaan ota pahaa oloa tosissaan.",
        "Mielialaa on hoidettu lääkityksellä, mutta keskustelutukea ei ole saatu järjestettyä.",
        "Lukio-opinnot ovat jääneet kesken, ja {A_nom} on eronnut oppilaitoksesta.",
        "Sosiaalinen ahdistus estää {A_par} käyttämästä julkisia kulkuneuvoja ja asioimasta "
        "kaupassa.",
        "Kiusaaminen yläkoulussa on jättänyt jälkensä, ja luottamus aikuisiin on heikko.",
        "{A_nom} on käynyt päivystyksessä {n} kertaa paniikkioireiden vuoksi.",
        "Ohjaamossa on todettu tarve mielenterveystuelle ennen opintojen jatkamista.",
        "Koulupudokkuuden riski on suuri, sillä kursseja on suoritettu vain muutamia.",
        "{A_ade} on todettu keskivaikea masennus, ja hoito on ollut katkonaista.",
        "Syömishäiriöepäily on herännyt, ja painon lasku on ollut nopeaa.",
        "Opinto-ohjaajan mukaan motivaatio opiskeluun on kadonnut kokonaan.",
        "Kavereita ei juuri ole, ja yhteydenpito muihin tapahtuu lähinnä pelien kautta.",
    ],
    plan=[
        "Tehdään kiireellinen lähete nuorisopsykiatriaan.",
        "Sovitaan yhteistapaaminen oppilaitoksen opinto-ohjaajan ja kuraattorin kanssa.",
        "Nuori ohjataan Ohjaamoon ja etsivään nuorisotyöhön.",
        "Selvitetään mahdollisuus kevennettyyn opintosuunnitelmaan.",
        "Psyykkisen voinnin seurantaa jatketaan viikoittain.",
        "Kartoitetaan lyhytterapian mahdollisuudet ja nuorten matalan kynnyksen palvelut.",
        "Vanhemmille tarjotaan perheneuvolan tukea.",
    ],
    puhe=[
        "en oo käyny koulussa pariin kuukauteen ku ahdistaa liikaa",
        "nuorisopsykalle ei pääse ku jono on kuukausia",
        "kukaan ei ota tosissaan vaikka sanoin et on tosi paha olla",
        "mun tyttö ei enää lähe huoneestaan ja me ei tiedetä mitä tehdä",
        "lopetin amiksen kesken ku en vaan jaksanu",
        "kuraattori oli kiva mut ei se voi auttaa ku sillä on niin paljon oppilaita",
        "paniikkikohtauksia tulee melkein joka päivä",
        "psykologille sais ajan vasta ens vuonna, ihan naurettavaa",
        "oon ollu kotona koko syksyn enkä tiiä mitä tehä elämällä",
        "kiitos ku ohjasitte mut ohjaamoon, siel oli ihan hyvä tyyppi",
        "en saa nukuttua ja pelaan aamuun asti",
        "lääkkeet vähän auttaa mut haluisin jutella jonkun kanssa",
        "koulussa kiusattiin ja nyt en uskalla mennä mihinkää",
        "mun poika on ollu pois koulusta puol vuotta eikä kukaan tee mitään",
        "terapiaan ei pääse ilman lausuntoa eikä lausuntoo saa ku ei pääse lääkärille",
        "tuntuu et oon ihan yksin tän pahan olon kanssa",
    ],
    sv=[
        "{K_nom} har varit borta från skolan största delen av hösten på grund av ångest.",
        "Remiss till ungdomspsykiatrin har gjorts, men första besöket är först om {kk_sv} månader.",
        "Studierna vid yrkesinstitutet har avbrutits.",
        "{K_nom} lider av sömnproblem och panikattacker.",
        "Kuratorn och studiehandledaren kallas till ett gemensamt möte.",
    ],
    sv_puhe=[
        "jag har inte orkat gå till skolan på flera veckor",
        "det är för lång kö till psykologen",
    ],
)

THEMES["ikaantyneiden_yksinaisyys"] = dict(
    name="Ikääntyneiden yksinäisyys",
    fill=dict(
        vuosikymmenia=[
            "yli viisikymmentä vuotta",
            "lähes neljäkymmentä vuotta",
            "koko aikuisikänsä",
        ]
    ),
    pro=[
        "{A_nom} asuu yksin, ja puolison kuoleman jälkeen sosiaaliset kontaktit ovat vähentyneet.",
        "Kotihoidon käynnit ovat ainoa säännöllinen kontakti muihin ihmisiin.",
        "{A_nom} kertoo, ettei ole puhunut kenenkään kanssa useaan päivään.",
        "Lapset asuvat toisella paikkakunnalla ja käyvät harvoin.",
        "{A_nom} on lopettanut eläkeläisyhdistyksen kerhossa käymisen liikkumisen vaikeuduttua.",
        "Yksinäisyys näkyy mielialan laskuna ja ruokahalun heikkenemisenä.",
        "{A_nom} soittaa iltaisin kotihoitoon turvattomuuden tunteen vuoksi.",
        "Päivät kuluvat television ääressä, eikä {A_nom} juuri poistu kotoaan.",
        "Ystäväpiiri on pienentynyt, sillä monet ystävät ovat kuolleet tai muuttaneet hoivakotiin.",
        "Päivätoiminta toi aiemmin viikkoon rytmiä, mutta ryhmä on lakkautettu.",
        "{A_nom} toivoo saavansa ystäväpalvelun vapaaehtoisen vierailemaan kotonaan.",
        "Omaiset ovat huolissaan {A_gen} alakuloisuudesta ja yksin olemisesta.",
        "Yöt ovat {A_gen} mukaan pitkiä ja yksinäisiä.",
        "@old {A_nom} on {ika}-vuotias leski, joka on asunut samassa kodissa {vuosikymmenia}.",
        "Muistin heikkeneminen on vähentänyt rohkeutta lähteä kodin ulkopuolelle.",
        "{A_ade} ei ole läheisiä, joihin pitäisi yhteyttä.",
        "Kotikäynnillä {A_nom} itki ja kertoi kaipaavansa seuraa.",
        "Seurakunnan diakoniatyöntekijä on käynyt kotona muutaman kerran.",
        "Senioritalon yhteistiloissa järjestetään toimintaa, mutta {A_nom} ei ole uskaltanut "
        "osallistua.",
        "Kuulon heikkeneminen vaikeuttaa puhelinkeskusteluja ja lisää eristäytymistä.",
        "{A_nom} syö ateriansa yksin eikä ole käynyt ulkona kuukausiin.",
        "Ikääntyneiden neuvonnassa on tunnistettu yksinäisyyden riski ja masennusoireita.",
        "Turvapuhelinta on käytetty toistuvasti ilman varsinaista hätää, lähinnä juttuseuran "
        "vuoksi.",
        "{A_nom} kertoo odottavansa koko viikon kotihoitajan käyntiä.",
        "Naapuri on ainoa, joka käy silloin tällöin kysymässä kuulumisia.",
        "Sosiaalisen kanssakäymisen puute on heikentänyt {A_gen} toimintakykyä.",
        "Juhlapyhät ovat erityisen raskaita, koska ketään ei tule käymään.",
    ],
    plan=[
        "Asiakas ohjataan ikääntyneiden päivätoimintaan kaksi kertaa viikossa.",
        "Tehdään ystäväpalveluun pyyntö vapaaehtoisesta kaverista.",
        "Kartoitetaan mahdollisuus yhteisölliseen asumiseen.",
        "Kotihoidon käynneillä kiinnitetään huomiota mielialaan.",
        "Järjestetään kuljetus seurakunnan senioripiiriin.",
        "Omaisten kanssa sovitaan säännöllisistä puheluista.",
        "Selvitetään pääsy puhelinystävätoimintaan.",
    ],
    puhe=[
        "@f Olen ollut yksin jo kolme vuotta miehen kuoltua, päivät ovat pitkiä",
        "kukaan ei käy, vain kotihoito aamulla ja illalla",
        "äiti on ihan yksin eikä se pääse enää mihinkään",
        "olisi mukava kun joku kävisi juttelemassa edes kerran viikossa",
        "kerho loppui eikä ole mitään minne mennä",
        "en ole puhunut kenenkään kanssa koko viikkona",
        "kotihoitajat on kiireisiä ei ne ehdi jutella",
        "iltaisin tulee niin yksinäinen olo että soitan välillä turvapuhelimeen",
        "kiitos päivätoiminnasta, siellä on mukavaa seuraa",
        "lapset asuu kaukana ja käy vaan jouluna",
        "isä on ollu tosi alakuloinen äidin kuoleman jälkeen",
        "en uskalla lähteä ulos kun pelkään kaatuvani",
        "ystäväpalvelun vapaaehtoinen on ihana, odotan aina sitä päivää",
        "tv on ainoa seura",
        "kaikki vanhat ystävät ovat jo kuolleet",
        "toivoisin että palvelutalossa olisi enemmän yhteistä tekemistä",
    ],
    sv=[
        "{K_nom} bor ensam och har få sociala kontakter efter att livskamraten dog.",
        "Hemvårdens besök är den enda regelbundna kontakten med andra människor.",
        "{K_nom} berättar att det kan gå flera dagar utan att träffa någon.",
        "Barnen bor på annan ort och besöker sällan.",
        "Klienten hänvisas till dagverksamhet för äldre två gånger i veckan.",
    ],
    sv_puhe=[
        "det är så ensamt här, ingen kommer på besök",
        "jag skulle gärna vilja ha någon att prata med",
    ],
)

THEMES["maaseutu_liikenne"] = dict(
    name="Maaseudun liikenneyhteydet ja asiointi",
    fill={},
    pro=[
        "Lähin kauppa ja apteekki ovat {km} kilometrin päässä, eikä {A_ade} ole autoa.",
        "Linja-auto kulkee kylältä keskustaan vain kaksi kertaa päivässä, eikä lainkaan "
        "viikonloppuisin.",
        "Asiointimatkat terveysasemalle ovat hankalia, koska julkista liikennettä ei ole.",
        "Kela-taksin odotusajat ovat pitkiä, ja paluukyytiä on jouduttu odottamaan tunteja.",
        "{A_nom} on jättänyt lääkärikäyntejä väliin kuljetusongelmien vuoksi.",
        "Sosiaalihuoltolain mukaista kuljetuspalvelua on haettu, mutta päätöstä ei ole tullut.",
        "Asiointiliikenne kulkee kylältä kerran viikossa, mikä ei riitä {A_gen} tarpeisiin.",
        "Talvella kylätie on huonosti aurattu, ja kotiin on vaikea päästä.",
        "Välimatkat ovat pitkiä: työllisyyspalveluihin on matkaa lähes {km} kilometriä.",
        "{A_nom} asuu haja-asutusalueella, jossa palvelut ovat kaukana.",
        "Sairaalaan on matkaa noin {km_iso} kilometriä, ja matka yhteen suuntaan kestää "
        "bussilla lähes kaksi tuntia.",
        "Iltaisin kylälle ei kulje yhtään vuoroa, joten ryhmiin osallistuminen ei onnistu.",
        "Kyläkaupan sulkeminen on lisännyt matkojen tarvetta.",
        "Vanha auto ja polttoaineen hinta tekevät asioinnista kallista, joten ajetaan vain "
        "välttämättömät matkat.",
        "Ajokortin menettämisen jälkeen {A_nom} on ollut täysin muiden kyytien varassa.",
        "Naapurit ovat kuljettaneet {A_par} kauppaan, mutta apua ei voi pyytää jatkuvasti.",
        "Palvelulinja ei kulje {A_gen} kotikylään, ja pysäkille on matkaa {km_pieni} kilometriä.",
        "Kuljetuspalvelun matkat eivät riitä kattamaan kaikkia välttämättömiä asiointeja.",
        "Terveysaseman sivuvastaanotto on lakkautettu, ja lähin vastaanotto on nyt "
        "kuntakeskuksessa.",
        "Pitkät välimatkat ja harvat vuorot tekevät säännöllisistä tapaamisista vaikeita.",
        "Taksimatkat maksavat {A_all} kymmeniä euroja, ja korvausta saa vain osasta matkoista.",
        "Kirjastoauto ja kauppa-auto käyvät kylällä, mutta muita palveluja ei ole lähellä.",
        "Tapaamisia on jouduttu perumaan, koska kyytiä sosiaalitoimistoon ei ole.",
        "Kylällä ei ole enää pankkia eikä postia, ja asiointi edellyttää matkaa kaupunkiin.",
        "Kutsutaksin käyttöä on suositeltu, mutta {A_nom} ei ole osannut tilata sitä.",
        "Harvaan asutulla alueella {A_nom} kokee jääneensä palvelujen ulkopuolelle.",
        "Apteekkiin on pitkä matka, ja lääkkeiden hakeminen jää joskus tekemättä.",
    ],
    plan=[
        "Haetaan kuljetuspalvelua sosiaalihuoltolain perusteella.",
        "Selvitetään asiointiliikenteen ja kutsutaksin reitit asiakkaan kylälle.",
        "Sovitaan seuraavat tapaamiset kotikäynteinä kulkemisen helpottamiseksi.",
        "Kela-kyytien tilaamista harjoitellaan yhdessä.",
        "Kartoitetaan kyläyhdistyksen vapaaehtoisten kuljetusapua.",
        "Terveyskeskuskäynnit pyritään yhdistämään samalle päivälle.",
    ],
    puhe=[
        "bussi kulkee täältä vaan aamulla ja iltapäivällä, ei sillä pääse mihinkään",
        "kela-taksia sai odottaa kaks tuntia lääkärin jälkeen",
        "kauppaan on {km} kilsaa enkä mä enää aja autoa",
        "miks kaikki palvelut viedään kaupunkiin, täällä maalla ei oo enää mitään",
        "kuljetuspalveluhakemus on ollut kesken jo pitkään",
        "naapuri vie kauppaan kerran viikossa mut en kehtaa aina pyytää",
        "en päässy vastaanotolle kun ei ollu kyytiä",
        "tie on talvella niin huonossa kunnossa et taksikaan ei tuu",
        "kiitos ku tulitte kotikäynnille, en ois muuten päässy mitenkää",
        "kylän kauppa lopetti ja nyt on ihan hankalaa",
        "taksiin menee puolet eläkkeestä",
        "asiointiauto kulkee vaan torstaisin ja se on aina täynnä",
        "pitäis päästä työkkäriin kaupunkiin mutta matka maksaa liikaa",
        "ei täältä pääse mihinkään ilman autoa",
        "sairaalaan on melkein sata kilsaa",
    ],
    sv=[
        "Närmaste butik och apotek ligger {km} kilometer bort och {K_nom} har ingen bil.",
        "Bussen går från byn till centrum bara två gånger om dagen.",
        "FPA-taxin har långa väntetider och klienten har missat läkarbesök.",
        "Ansökan om färdtjänst har ännu inte behandlats.",
        "Klienten har hänvisats till anropstrafiken men har inte lärt sig att beställa resor.",
    ],
    sv_puhe=[
        "bussen går bara två gånger om dagen härifrån",
        "jag kommer inte till hälsocentralen utan skjuts",
    ],
)

THEMES["digisyrjaytyminen"] = dict(
    name="Digitaalinen syrjäytyminen",
    fill={},
    pro=[
        "{A_ade} ei ole verkkopankkitunnuksia, minkä vuoksi Kelan ja verottajan asiointi ei "
        "onnistu verkossa.",
        "{A_nom} ei osaa käyttää älypuhelinta, eikä kotona ole tietokonetta.",
        "Hakemukset on aiemmin tehty paperilla, mutta lomakkeita ei enää saa toimistolta.",
        "Pankki on sulkenut lähikonttorin, ja puhelimessa asioiminen on {A_all} vaikeaa.",
        "Sähköinen ajanvaraus terveysasemalle ei onnistu, eikä puhelinpalveluun pääse läpi.",
        "Mobiilivarmenteen käyttöönotto on jäänyt kesken.",
        "{A_nom} on antanut pankkitunnuksensa tuttavalle asioiden hoitamista varten, mikä on "
        "riski.",
        "Digitaidot ovat heikot, ja verkkolomakkeet tuntuvat {A_gen} mukaan ylivoimaisilta.",
        "Kirjautuminen Kelan asiointipalveluun on epäonnistunut useita kertoja.",
        "Hakemus on jäänyt tekemättä, koska liitteiden skannaaminen ja lataaminen ei onnistu.",
        "Puhelinliittymä on suljettu, joten tunnistautumiskoodeja ei voi vastaanottaa.",
        "Näön heikkeneminen vaikeuttaa sähköisten palvelujen käyttöä.",
        "Sähköpostiin tulleet viestit ovat jääneet lukematta, ja määräaikoja on ylittynyt.",
        "{A_ade} ei ole voimassa olevaa henkilöllisyystodistusta, joten pankkitunnusten "
        "hankkiminen ei onnistu.",
        "Omakanta-palvelu on {A_all} vieras, eikä reseptien tarkistaminen onnistu.",
        "Ilman verkkopankkia laskujen maksaminen on hankalaa, ja konttorin palvelumaksut ovat "
        "kalliita.",
        "Työnhakuun liittyvä verkkoasiointi on jäänyt hoitamatta.",
        "{A_nom} pelkää huijauksia eikä uskalla käyttää verkkopankkia.",
        "Digituen ryhmässä {A_nom} on käynyt kerran, mutta opetus tuntui liian nopealta.",
        "Älypuhelimen sovellukset päivittyvät jatkuvasti, ja {A_nom} eksyy niissä.",
        "Koska tunnistautuminen ei onnistu, {A_nom} ei ole saanut luettua päätöksiään "
        "sähköisestä postilaatikosta.",
        "Tabletin käyttöä on opeteltu kirjaston digitukihenkilön avulla.",
        "Asiointi sähköisissä palveluissa vaatii aina jonkun toisen apua.",
        "Verkkopankkitunnukset ovat vanhentuneet, ja uusien tilaaminen vaatii käynnin konttorissa.",
        "Etävastaanotto ei onnistu, koska laitteessa ei ole kameraa eikä videoyhteys ole tuttu.",
        "Salasanat ovat unohtuneet, ja tilit on lukittu useaan otteeseen.",
        "Chat-palvelut ja puhelinvalikot ovat {A_all} ylivoimaisia, ja asiat jäävät hoitamatta.",
    ],
    plan=[
        "Asiakas ohjataan kirjaston digitukeen.",
        "Selvitetään Suomi.fi-valtuutus, jotta omainen voi asioida asiakkaan puolesta.",
        "Avustetaan pankkitunnusten hankkimisessa ja sovitaan käynti pankissa.",
        "Hakemukset täytetään yhdessä tapaamisella paperilomakkeella.",
        "Järjestetään digiopastusta kotikäynnin yhteydessä.",
        "Sovitaan, että päätökset postitetaan asiakkaalle paperisina.",
    ],
    puhe=[
        "mulla ei oo pankkitunnuksia niin en pääse kelan sivuille",
        "kaikki pitää nykyään tehdä netissä enkä mä osaa",
        "en ymmärrä näitä sovelluksia, aina pyytää jotain koodia",
        "paperilomakkeita ei enää saa mistään, pitäis olla kone",
        "pankki lopetti konttorin ja puhelimessa ei kukaan vastaa",
        "lapsenlapsi tekee mun asiat netissä kun itse en osaa",
        "ajanvaraus ei onnistu netissä ja puhelin on aina varattu",
        "puhelin on niin vanha ettei siihen saa niitä sovelluksia",
        "kiitos kun autoitte täyttämään hakemuksen paperilla",
        "pelkään että joku huijaa jos käytän nettipankkia",
        "en nää pienestä näytöstä mitään",
        "digituessa oli ihana kärsivällinen nuori joka neuvoi",
        "tunnukset vanheni ja nyt en pääse mihinkään",
        "kaikki viestit tulee sähköpostiin jota en osaa avata",
        "miks ei voi enää vaan soittaa ja hoitaa asiaa",
    ],
    sv=[
        "{K_nom} saknar nätbankskoder och kan därför inte sköta ärenden hos FPA på nätet.",
        "{K_nom} kan inte använda smarttelefon och har ingen dator.",
        "Pappersblanketter finns inte längre att få på byrån.",
        "Banken har stängt det lokala kontoret och telefontjänsten är svår att använda.",
        "Klienten hänvisas till biblioteket för digitalt stöd.",
    ],
    sv_puhe=[
        "jag har inga bankkoder och kommer inte in på FPA:s sidor",
        "allt ska göras på nätet nuförtiden",
    ],
)

THEMES["lahisuhdevakivalta"] = dict(
    name="Lähisuhdeväkivalta",
    fill={},
    pro=[
        "{A_nom} kertoo puolison käyttäneen fyysistä väkivaltaa useamman vuoden ajan.",
        "Poliisi on käynyt kotona perheriidan vuoksi {n} kertaa viimeisen puolen vuoden aikana.",
        "{A_nom} on ollut turvakodissa lasten kanssa {vk} viikkoa.",
        "Lähestymiskieltoa on haettu, ja käsittely on käräjäoikeudessa kesken.",
        "Entinen puoliso seuraa {A_par} ja lähettää uhkaavia viestejä.",
        "{A_ade} on näkyviä mustelmia käsivarsissa, ja tönimistä on tapahtunut useasti.",
        "Henkinen väkivalta on ollut jatkuvaa nimittelyä, kontrollointia ja eristämistä ystävistä.",
        "Puoliso on kontrolloinut {A_gen} raha-asioita ja puhelimen käyttöä.",
        "Lapset ovat olleet kotona väkivaltatilanteiden aikana, ja lastensuojeluilmoitus on tehty.",
        "{A_nom} pelkää puolison reaktiota, jos ero tulee puheeksi.",
        "Riskinarviointi on tehty MARAK-menetelmällä, ja tilanne on arvioitu vakavaksi.",
        "@f @notold Väkivalta on kiihtynyt raskauden aikana.",
        "{A_nom} on ohjattu väkivaltatyön avopalveluun, mutta sinne ei ole vielä uskallettu mennä.",
        "Puhelimeen on asennettu hätäsovellus, ja turvasuunnitelma on käyty läpi.",
        "Kotona on tapahtunut kuristamista, mikä on merkittävä riskitekijä.",
        "{A_nom} kertoo häpeävänsä tilannetta eikä ole kertonut siitä sukulaisilleen.",
        "Taloudellinen riippuvuus puolisosta estää {A_par} lähtemästä suhteesta.",
        "Väkivallan tekijä on ohjattu väkivallan katkaisuohjelmaan, mutta ei ole sitoutunut "
        "siihen.",
        "Lapsi on kertonut päiväkodissa, että kotona lyödään.",
        "Poliisin kotihälytystehtävän aikana asunnossa oli rikottuja huonekaluja.",
        "{A_nom} on muuttanut väliaikaisesti turvaan sukulaisen luokse.",
        "Uhkailu on jatkunut eron jälkeen, ja {A_nom} on tehnyt rikosilmoituksen.",
        "@old Aikuinen lapsi painostaa {A_par} luovuttamaan eläkerahansa ja uhkailee.",
        "Väestötietojärjestelmään on haettu turvakieltoa.",
        "{A_nom} kuvaa suhdetta pelon ja syyllisyyden sävyttämäksi.",
        "Puoliso on rikkonut {A_gen} puhelimen ja estänyt yhteydenpidon läheisiin.",
        "Väkivaltaa on esiintynyt erityisesti puolison juomisen yhteydessä.",
    ],
    plan=[
        "Tehdään turvasuunnitelma yhdessä asiakkaan kanssa.",
        "Asiakas ohjataan Nollalinjalle ja väkivaltatyön avopalveluun.",
        "Järjestetään tarvittaessa paikka turvakodista.",
        "Tehdään lastensuojeluilmoitus ja arvioidaan lasten turvallisuus.",
        "Tilanne viedään moniammatillisen riskinarviointityöryhmän käsittelyyn.",
        "Avustetaan lähestymiskieltohakemuksen tekemisessä.",
    ],
    puhe=[
        "mä pelkään mennä kotiin kun se on taas humalassa",
        "exä lähettää koko ajan uhkaavia viestejä eikä poliisi tee mitään",
        "turvakodissa oli turvallista olla mut mihin mä nyt meen",
        "en oo uskaltanu kertoo kenellekään mitä kotona tapahtuu",
        "se ottaa multa kaikki rahat ja tarkistaa mun puhelimen",
        "lähestymiskielto pitäis saada nopeemmin",
        "kiitos että uskoitte mua ja autoitte lähtemään",
        "lapset on nähny kaiken ja se on mun suurin huoli",
        "@old mun poika huutaa ja uhkailee jos en anna sille rahaa",
        "en tiedä mitä tapahtuu jos lähden, se on sanonu et se löytää mut",
        "mulla on vieläki mustelmia mut en halua tehdä rikosilmotusta",
        "väkivaltatyöntekijän kanssa puhuminen auttoi",
        "poliisi kävi taas eilen yöllä",
        "mulla ei oo omia rahoja joten en voi lähtee",
        "se ei lyö mutta sanoo koko ajan et oon arvoton",
    ],
    sv=[
        "{K_nom} berättar att partnern har utövat fysiskt våld i flera år.",
        "Polisen har varit på besök i hemmet {n_sv} gånger under det senaste halvåret.",
        "{K_nom} har bott på skyddshem med barnen i två veckor.",
        "Ansökan om besöksförbud behandlas i tingsrätten.",
        "En säkerhetsplan görs upp tillsammans med klienten.",
    ],
    sv_puhe=[
        "@f jag är rädd att gå hem när han har druckit",
        "exet skickar hotfulla meddelanden hela tiden",
    ],
)

THEMES["kielimuuri_tulkkaus"] = dict(
    name="Kielimuuri, maahanmuuttajat ja tulkkaus",
    fill=dict(
        kieli=["arabian", "somalin", "ukrainan", "venäjän", "darin", "kurdin", "tigrinjan"],
        muutto=[
            "vuonna 2022",
            "kaksi vuotta sitten",
            "vuonna 2019",
            "viime keväänä",
            "noin vuosi sitten",
        ],
    ),
    pro=[
        "Tapaaminen pidettiin {kieli} kielen tulkin välityksellä.",
        "Tulkkia ei ollut saatavilla, ja tapaaminen jouduttiin siirtämään.",
        "{A_nom} ei ymmärrä Kelan päätöksiä, koska ne ovat suomeksi.",
        "Puhelintulkkauksen yhteys katkesi kesken tapaamisen useita kertoja.",
        "Lapset ovat toimineet vanhempiensa tulkkeina viranomaisasioinnissa, mikä ei ole "
        "asianmukaista.",
        "{A_nom} on osallistunut suomen kielen kurssille, mutta kielitaito ei vielä riitä "
        "asiointiin.",
        "Kotoutumissuunnitelma on laadittu, mutta kotoutumiskoulutukseen on jonoa.",
        "{A_nom} muutti Suomeen {muutto} ja asuu perheensä kanssa vuokra-asunnossa.",
        "Tulkkauksen puutteen vuoksi terveydenhuollon ohjeet ovat jääneet epäselviksi.",
        "Kirjeiden sisältö on käyty yhdessä läpi, koska suomenkielisten asiakirjojen lukeminen "
        "ei onnistu.",
        "Oleskelulupa-asian käsittely Maahanmuuttovirastossa on kesken, mikä vaikuttaa "
        "oikeuteen palveluihin.",
        "Kielimuuri vaikeuttaa työnhakua, vaikka {A_ade} on kotimaassa hankittu ammattitutkinto.",
        "Tulkkauksen tilaaminen oli unohtunut, ja tapaaminen käytiin englanniksi, jota {A_nom} "
        "ymmärtää vain osin.",
        "{A_nom} kokee, ettei viranomaisissa ymmärretä hänen asiaansa.",
        "@s Tilapäistä suojelua saavana {A_gen} oikeus palveluihin on rajattu.",
        "Lapsen koulunkäyntiin liittyvät Wilma-viestit ovat jääneet vanhemmilta ymmärtämättä.",
        "Tulkki oli mies, eikä arkaluonteisista asioista voitu puhua hänen välityksellään.",
        "Perheen kotoutuminen on hidasta, ja verkostot rajoittuvat omaan kieliryhmään.",
        "Kielitaidon puutteen vuoksi {A_nom} ei ole pystynyt asioimaan työllisyyspalveluissa "
        "itsenäisesti.",
        "Selkokielinen ohjeistus ja kuvat ovat auttaneet ymmärtämistä.",
        "{kieli} kielen tulkkeja on alueella vähän, ja odotus on viikkoja.",
        "Kotoutumiskoulutuksen jälkeen {A_nom} on jäänyt ilman jatkopolkua.",
        "Lomakkeiden täyttäminen vaatii tulkin apua, koska latinalaiset aakkoset eivät ole "
        "tuttuja.",
        "Perheenyhdistämisprosessi huolettaa {A_par}, ja jaksaminen on koetuksella.",
        "Kulttuurierot ja kielimuuri ovat aiheuttaneet väärinkäsityksiä koulun kanssa.",
        "{A_nom} toivoo, että asiakirjat käännettäisiin omalle äidinkielelle.",
        "Etätulkkaus videon välityksellä ei toiminut, koska yhteys pätki.",
    ],
    plan=[
        "Seuraavaan tapaamiseen tilataan paikan päälle tulkki.",
        "Asiakas ohjataan maahanmuuttajien neuvontapisteeseen.",
        "Selvitetään pääsy kotoutumiskoulutukseen ja suomen kielen opintoihin.",
        "Kelan päätökset käydään läpi yhdessä tulkin avustuksella.",
        "Pyydetään koululta tulkkausta vanhempainvarttiin.",
        "Kotoutumissuunnitelma päivitetään.",
    ],
    puhe=[
        "minä en ymmärrä kirjeet suomeksi, kuka auttaa",
        "tulkki ei tullut ja aika meni hukkaan",
        "lapsi pitää aina tulkata minulle, se ei ole hyvä",
        "puhelin tulkki ääni katkesi koko ajan",
        "haluan oppia suomi mutta kurssi on täynnä",
        "kiitos tulkista, nyt ymmärrän paremmin",
        "kela kirje tuli mutta en tiedä mitä siinä lukee",
        "minulla on ammatti omassa maassa mutta täällä ei kelpaa ilman kieltä",
        "odotan oleskelulupa päätös ja en voi tehdä mitään",
        "koulu lähettää viestejä wilmaan en ymmärrä",
        "olisi hyvä jos paperit olisi myös englanniksi",
        "tulkki oli mies en voinut puhua kaikkea",
        "ymmärrän vähän suomea mutta virkakieli on liian vaikea",
        "en osaa täyttää lomaketta yksin",
        "kukaan ei selittänyt mitä tämä päätös tarkoittaa",
    ],
    sv=[
        "{K_nom} har inte fått service på svenska och har svårt att förstå beslut på finska.",
        "Tolk fanns inte att tillgå och mötet måste flyttas.",
        "Barnen har fungerat som tolkar för föräldrarna, vilket inte är lämpligt.",
        "{K_nom} har deltagit i en kurs i finska, men språkkunskaperna räcker inte till.",
        "Till nästa möte beställs en tolk på plats.",
    ],
    sv_puhe=[
        "jag får aldrig service på svenska, allt kommer på finska",
        "tolken kom inte och mötet blev inställt",
    ],
)

THEMES["pitkaaikaistyottomyys"] = dict(
    name="Pitkäaikaistyöttömyys",
    fill=dict(
        tyot_kesto=[
            "yli kaksi vuotta",
            "noin neljä vuotta",
            "vuodesta 2019",
            "yli vuoden",
            "lähes kolme vuotta",
        ],
        n_haku=["kymmenen", "viisitoista", "kaksikymmentä", "kahdeksan"],
    ),
    pro=[
        "{A_nom} on ollut työttömänä {tyot_kesto}, ja työttömyys on pitkittynyt.",
        "Työnhaku on hiipunut, koska hakemuksiin ei ole tullut vastauksia.",
        "Ansiosidonnaisen päivärahan enimmäisaika on täyttynyt, ja {A_nom} on siirtynyt "
        "työmarkkinatuelle.",
        "{A_ade} on vanhentunut koulutus, eikä aiemman alan töitä ole alueella tarjolla.",
        "Kuntouttavaa työtoimintaa on kokeiltu, mutta osallistuminen on ollut epäsäännöllistä.",
        "Työkyvyn arviointi on kesken, koska {A_ade} on pitkäaikaisia selkävaivoja.",
        "Työllisyyspalveluiden asiantuntija on tavannut {A_par} kerran puolessa vuodessa.",
        "Päivärytmi on päässyt hajoamaan pitkän työttömyyden aikana.",
        "@adult {A_nom} kokee, ettei ikänsä vuoksi ole enää mahdollisuuksia työmarkkinoilla.",
        "Palkkatukityö päättyi {aika_sitten}, eikä jatkoa ole löytynyt.",
        "{A_nom} on suorittanut työkokeilun, jossa työnantaja oli tyytyväinen, mutta "
        "työpaikkaa ei avautunut.",
        "Työttömyys on vaikuttanut {A_gen} itsetuntoon ja mielialaan.",
        "Työnhakuvelvoitteen laiminlyönnistä on tullut karenssi, mikä on heikentänyt taloutta.",
        "Ammatillisen kuntoutuksen selvittely on kesken.",
        "{A_nom} on lähettänyt {n_haku} työhakemusta viimeisen kuukauden aikana, mutta "
        "haastatteluun ei ole kutsuttu.",
        "Työttömyyden pitkittyessä aktivointisuunnitelman laatiminen on tullut ajankohtaiseksi.",
        "Työmarkkinatuki ja toimeentulotuki eivät yhdessäkään riitä elämiseen.",
        "{A_nom} on kiinnostunut alanvaihdosta, mutta koulutukseen hakeutuminen jännittää.",
        "Sosiaalinen kuntoutus on aloitettu ryhmätoiminnalla kerran viikossa.",
        "Työpajajakso kierrätyskeskuksessa on tuonut {A_all} rutiineja.",
        "Tehtaan lakkauttamisen jälkeen {A_nom} ei ole työllistynyt.",
        "Työkokemusta on lähinnä lyhyistä määräaikaisista töistä ja keikkatöistä.",
        "Osa-aikatyön vastaanottaminen ei ole kannattanut soviteltujen etuuksien viiveiden vuoksi.",
        "Työttömyysjakso on kestänyt niin pitkään, että työelämätaidot ovat heikentyneet.",
        "Työnhaku on päässyt katkeamaan, koska {A_nom} ei ole uusinut työnhakuaan.",
        "{A_ade} ei ole ajokorttia, mikä rajaa työmahdollisuuksia merkittävästi.",
        "Viimeisin vakituinen työsuhde päättyi tuotannollisista ja taloudellisista syistä.",
    ],
    plan=[
        "Laaditaan aktivointisuunnitelma yhdessä työllisyyspalveluiden kanssa.",
        "Asiakas ohjataan kuntouttavaan työtoimintaan kolmena päivänä viikossa.",
        "Selvitetään työkyky työllisyyspalveluiden lääkärin kanssa.",
        "Kartoitetaan palkkatuki- ja työkokeilumahdollisuudet.",
        "Asiakas ohjataan ammatinvalinnanohjaukseen.",
        "Haetaan ammatillista kuntoutusta Kelasta.",
    ],
    puhe=[
        "@adult ei kukaan palkkaa tän ikäistä, oon hakenu vaikka mitä",
        "oon ollu työttömänä jo monta vuotta enkä jaksa enää hakea",
        "työkkäristä ei soiteta koskaan takasin",
        "kuntouttava työtoiminta on ihan ok, on jotain tekemistä",
        "sain karenssin vaik en tienny et piti hakea niitä paikkoja",
        "palkkatuki loppu ja sit taas tyhjän päällä",
        "haluisin kouluttautua uudestaan mut en tiiä mihin",
        "töitä ei oo täällä, kaikki tehtaat on lopetettu",
        "työkokeilu oli kiva mut ei siitä mitään paikkaa tullu",
        "päivät on ihan samanlaisia ku ei oo mitään tekemistä",
        "kiitos työpajasta, oon oppinu tosi paljon",
        "osa-aikatyötä ei kannata ottaa vastaan ku tuet sotkeutuu",
        "selkä on huono enkä pysty rakennushommiin enää",
        "hakemuksia oon laittanu kymmeniä eikä yhtään vastausta",
        "tuntuu et oon ihan turha ku ei oo töitä",
    ],
    sv=[
        "{K_nom} har varit arbetslös i över två år och arbetslösheten har blivit långvarig.",
        "Arbetssökandet har avstannat eftersom klienten inte har fått svar på sina ansökningar.",
        "Arbetsprövningen avslutades och ingen fortsättning har hittats.",
        "Arbetsförmågan utreds som bäst.",
        "En aktiveringsplan görs upp tillsammans med sysselsättningstjänsterna.",
    ],
    sv_puhe=[
        "ingen vill anställa någon i min ålder",
        "jag har sökt massor av jobb men inte fått svar",
    ],
)

THEMES["jalkihuolto"] = dict(
    name="Lastensuojelun jälkihuolto",
    fill=dict(
        n_vaihto=["kolme", "neljä", "useita"],
        n_sij=["viidessä", "kuudessa", "neljässä", "seitsemässä"],
    ),
    pro=[
        "{A_nom} on lastensuojelun jälkihuollossa, ja sijoitus päättyi täysi-ikäisyyteen.",
        "Jälkihuollon sosiaalityöntekijä on vaihtunut {n_vaihto} kertaa vuoden aikana.",
        "Itsenäistyminen sijaisperheestä omaan asuntoon on ollut vaikeaa.",
        "{A_nom} muutti lastensuojelulaitoksesta omaan asuntoon {aika_sitten}, ja arki on "
        "kaoottista.",
        "Jälkihuoltosuunnitelma on päivitetty, ja tavoitteena on opintojen jatkaminen.",
        "Jälkihuollon itsenäistymisvaroja on käytetty asunnon kalustamiseen.",
        "{A_ade} ei ole tukiverkostoa, sillä välit biologisiin vanhempiin ovat katkenneet.",
        "Jälkihuolto päättyy {A_gen} täyttäessä 25 vuotta, ja jatkotuen tarve on arvioitava.",
        "Entinen omaohjaaja sijaishuoltopaikasta on edelleen tärkeä tukihenkilö.",
        "Talouden hallinta on ollut haasteellista, ja vuokra on jäänyt kerran maksamatta.",
        "{A_nom} kokee, että tuki loppui kuin seinään täysi-ikäisyyden kynnyksellä.",
        "Jälkihuollon ohjaaja on käynyt kotona kerran kuukaudessa harjoittelemassa arjen taitoja.",
        "Sijaishuollon aikana aloitetut opinnot ovat jääneet kesken.",
        "Jälkihuollon tukiasunnossa asuminen päättyy, ja {A_nom} tarvitsee uuden asunnon.",
        "{A_nom} kieltäytyi aiemmin jälkihuollon palveluista, mutta on nyt hakeutunut takaisin.",
        "Asiakkuus siirtyy jälkihuollosta aikuissosiaalityöhön, ja siirtoa valmistellaan yhdessä.",
        "Yhteydenpito entisiin sijaisvanhempiin on säännöllistä ja kannattelevaa.",
        "Tukihenkilötoiminta on ollut {A_gen} arjessa merkittävä tuki.",
        "Etuuksien hakeminen on ollut uutta, ja ohjausta tarvitaan paljon.",
        "Sijoitushistoria on pitkä: {A_nom} on asunut {n_sij} eri sijaishuoltopaikassa.",
        "Jälkihuollon aikana on tuettu ajokortin ja opiskelukustannusten rahoittamista.",
        "Lastensuojelun asiakkuuden päättyminen herättää {A_par} pelkoa tulevaisuudesta.",
        "Jälkihuoltoon kuuluu oikeus omaan sosiaalityöntekijään, mutta yhteydenpito on ollut "
        "vähäistä.",
        "{A_nom} toivoo jälkihuollolta apua asiointiin ja arjen hallintaan.",
        "Itsenäistymisen tukeminen on jäänyt vähäiseksi, koska työntekijöitä on liian vähän.",
        "Yhteydenotot jälkihuoltoon tulevat lähinnä kriisitilanteissa.",
        "Laitoksesta muuttaminen tarkoitti {A_all} myös tuttujen aikuisten menettämistä.",
    ],
    plan=[
        "Päivitetään jälkihuoltosuunnitelma yhdessä nuoren kanssa.",
        "Jälkihuoltoon nimetään pysyvä omatyöntekijä.",
        "Haetaan itsenäistymisvaroja opintojen aloittamiseen.",
        "Järjestetään nuorelle tukihenkilö.",
        "Valmistellaan siirto aikuissosiaalityöhön jälkihuollon päättyessä.",
        "Tehdään kotikäyntejä arjen taitojen vahvistamiseksi.",
    ],
    puhe=[
        "ku täytin 18 niin kaikki tuki loppu ihan yhtäkkiä",
        "mun sossu vaihtuu koko ajan, en jaksa kertoo samoja asioita uudestaan",
        "asun nyt yksin ekaa kertaa ja kaikki on tosi sekavaa",
        "jälkihuollon ohjaaja on ainoo aikuinen johon luotan",
        "en tiiä miten etuuksia haetaan, laitoksessa joku muu hoiti ne",
        "mul ei oo ketään perhettä jolle soittaa",
        "kiitos et sain itsenäistymisrahaa, sain sängyn ja pöydän",
        "sijaisperheeseen pidän edelleen yhteyttä ja se auttaa",
        "tukiasunnosta pitää muuttaa pois enkä tiiä minne",
        "ku olin lastensuojelussa ni oli joku koko ajan, nyt ei oo ketään",
        "koulu jäi kesken ku muutin pois laitoksesta",
        "toivoisin et joku kävis auttaa arjessa",
        "jälkihuolto loppuu pian ja mua pelottaa",
        "tukihenkilö on paras juttu mitä on tapahtunu",
        "en aluks halunnu mitään apua mut nyt tarviin",
    ],
    sv=[
        "{K_nom} omfattas av eftervården inom barnskyddet och placeringen upphörde vid "
        "myndighetsåldern.",
        "Socialarbetaren inom eftervården har bytts ut flera gånger under året.",
        "Flytten från familjehemmet till egen bostad har varit svår.",
        "{K_nom} saknar stödnätverk eftersom kontakten till de biologiska föräldrarna har brutits.",
        "Eftervårdsplanen uppdateras tillsammans med den unga.",
    ],
    sv_puhe=["när jag fyllde 18 tog allt stöd slut", "min socialarbetare byts hela tiden"],
)

THEMES["omaishoitajien_uupumus"] = dict(
    name="Omaishoitajien uupumus",
    fill=dict(
        eur_oh=["485", "520", "650", "780", "970"],
        hoidettava=[
            "muistisairasta puolisoaan",
            "vaikeasti vammaista aikuista lastaan",
            "iäkästä äitiään",
            "Parkinsonin tautia sairastavaa puolisoaan",
            "kehitysvammaista lastaan",
        ],
    ),
    pro=[
        "{A_nom} hoitaa {hoidettava} kotona ympäri vuorokauden.",
        "Omaishoitajan vapaapäiviä ei ole pidetty, koska sopivaa lyhytaikaishoitopaikkaa ei "
        "ole löytynyt.",
        "{A_nom} kertoo olevansa täysin uupunut ja nukkuneensa huonosti kuukausia.",
        "Hoidettavan yölevottomuus on lisääntynyt, ja {A_nom} herää useita kertoja yössä.",
        "Omaishoidon tuen hoitopalkkio on {eur_oh} euroa kuukaudessa, eikä se vastaa hoidon "
        "sitovuutta.",
        "Oma terveys on heikentynyt, kun {A_nom} on hoitanut läheistään vuosia.",
        "Intervallijakso peruuntui hoitopaikan henkilöstöpulan vuoksi.",
        "{A_ade} ei ole ollut omaa aikaa {kk_ill} kuukauteen.",
        "Hoidettavan kunto on heikentynyt, ja hoitotyö on fyysisesti raskasta.",
        "Omaishoitajan hyvinvointi- ja terveystarkastus on jäänyt tekemättä.",
        "{A_nom} on jäänyt pois töistä voidakseen hoitaa läheistään.",
        "Kotihoidon lisäkäynnit helpottaisivat {A_gen} jaksamista.",
        "Omaishoitaja kokee syyllisyyttä siitä, että toivoo hoidettavalle hoivakotipaikkaa.",
        "Vuorohoitopaikka on kaukana, eikä hoidettava suostu lähtemään sinne.",
        "Hoidettavan aggressiivisuus on lisääntynyt, ja {A_nom} pelkää välillä.",
        "@old {A_nom} on itsekin yli {ika_oh}-vuotias ja kärsii nivelrikosta.",
        "Omaishoitajien vertaisryhmään osallistuminen ei ole onnistunut, koska sijaista ei ole.",
        "Uupumus näkyy itkuisuutena ja ärtyneisyytenä, ja omaishoidosta luopumista on harkittu.",
        "Omaishoitosopimusta ollaan tarkistamassa hoidettavan avuntarpeen kasvettua.",
        "Sosiaalinen elämä on kaventunut, sillä hoidettavaa ei voi jättää yksin.",
        "{A_nom} koordinoi hoidettavan terapioita, apuvälineitä ja lääkärikäyntejä "
        "väsymykseen asti.",
        "Hoidettava tarvitsee apua kaikissa päivittäisissä toiminnoissa, myös yöllä.",
        "Lakisääteiset vapaat ovat jääneet käyttämättä, koska sijaishoitoa ei ole saatavilla.",
        "Perhehoitajan järjestäminen kotiin on selvityksessä.",
        "{A_nom} kertoo, ettei ole käynyt omalla lääkärillä vuosiin hoitovastuun vuoksi.",
        "Omaishoitajan jaksaminen on arvioitu heikoksi, ja tilanne vaatii pikaisia toimia.",
        "Hoitovastuu on kasvanut vähitellen, eikä apua ole osattu pyytää ajoissa.",
    ],
    plan=[
        "Järjestetään intervallihoitojakso omaishoitajan lepoa varten.",
        "Tehdään omaishoitajalle hyvinvointi- ja terveystarkastus.",
        "Selvitetään sijaisomaishoitajan tai perhehoitajan mahdollisuus.",
        "Lisätään kotihoidon käyntejä iltaisin.",
        "Omaishoitaja ohjataan vertaistukiryhmään, ja ryhmän ajaksi järjestetään sijainen.",
        "Tarkistetaan omaishoidon tuen hoitopalkkion maksuluokka.",
    ],
    puhe=[
        "@f en oo nukkunu kunnolla kuukausiin ku mies herää öisin",
        "lomapaikkaa ei löydy vaikka olen pyytänyt monta kertaa",
        "jaksaminen on ihan lopussa enkä tiedä kauanko pystyn tähän",
        "hoitopalkkio on pieni ja työ on ympärivuorokautista",
        "intervalli peruttiin taas viime hetkellä",
        "kukaan ei kysy miten minä jaksan",
        "kiitos kun saatiin lisää kotihoidon käyntejä, on auttanut",
        "@m en pääse mihinkään kun en voi jättää vaimoa yksin",
        "äidin hoitaminen vie kaikki voimat ja omat lapset jää vähälle",
        "olisin tarvinnut apua jo aikoja sitten",
        "@f mies on muuttunut aggressiiviseksi ja joskus pelottaa",
        "tunnen syyllisyyttä kun haluaisin vain levätä",
        "vertaisryhmä olisi kiva mutta kuka hoitaa sillä aikaa",
        "poikamme tarvitsee apua kaikessa ja olemme molemmat uupuneita",
        "omat lääkärikäynnit on jääneet väliin",
    ],
    sv=[
        "{K_nom} vårdar sin minnessjuka partner hemma dygnet runt.",
        "Närståendevårdarens lediga dagar har inte tagits ut eftersom det saknas platser för "
        "kortvarig vård.",
        "{K_nom} berättar att orken är helt slut och att sömnen har varit dålig i månader.",
        "Intervallvården ställdes in på grund av personalbrist.",
        "En intervallvårdsperiod ordnas för att närståendevårdaren ska få vila.",
    ],
    sv_puhe=["jag har inte sovit ordentligt på månader", "ingen frågar hur jag orkar"],
)

# Only in records_more.csv: a theme the main file never shows ("new this period").
NEW_THEME = "rahapeliongelma"
THEMES[NEW_THEME] = dict(
    name="Rahapeliongelma",
    fill={},
    pro=[
        "{A_nom} kertoo pelanneensa nettikasinoilla, ja pelivelkoja on kertynyt noin {eur} euroa.",
        "Rahapelaaminen on lisääntynyt, ja tulot kuluvat usein peleihin heti tilipäivänä.",
        "{A_nom} on asettanut itselleen pelikiellon, mutta pelaa ulkomaisilla sivustoilla.",
        "Pelaaminen on salattu puolisolta, ja {A_nom} häpeää tilannetta.",
        "{A_nom} pelaa raaputusarpoja ja kolikkopelejä päivittäin.",
        "Pelihimo on voimakasta erityisesti tilipäivän jälkeen.",
        "Pelaamisen hallinnan ryhmään ei ole vielä päästy.",
        "Urheiluvedonlyönti vie {A_gen} mukaan suurimman osan vapaa-ajasta.",
        "Tappioita on yritetty kuitata lisäpelaamisella, ja kierre on syventynyt.",
        "Rahapelien vuoksi {A_nom} on ottanut kulutusluottoja useilta lainanantajilta.",
        "Pelaaminen jatkuu öisin puhelimella, ja uni on jäänyt vähiin.",
        "Pelitileille on siirretty {A_gen} mukaan lähes kaikki ylimääräinen raha.",
    ],
    plan=[
        "Asiakas ohjataan peliongelmien avohoitoon.",
        "Sovitaan pankin kanssa rahapelimaksujen estosta.",
        "Pelivelkojen määrä kartoitetaan talous- ja velkaneuvonnassa.",
    ],
    puhe=[
        "pelasin taas koko palkan yhessä illassa",
        "nettikasinot on mun suurin ongelma",
        "en oo kertonu kellekään et pelaan",
        "pelikielto auttaa vähän mut ulkomaiset sivut toimii silti",
        "haluisin päästä pelaamisesta eroon",
        "kolikkopelit vie kaikki rahat",
    ],
    sv=["{K_nom} spelar på nätkasinon och har spelskulder på cirka {eur} euro."],
    sv_puhe=["jag spelade bort hela lönen"],
)

LANGUAGE_BY_ORIGIN = {  # genitive, for "{kieli} kielen tulkki"
    "ia": ["arabian", "somalin", "darin", "kurdin", "tigrinjan"],
    "is": ["ukrainan", "venäjän"],
    "iv": ["vietnamin"],
}

MAIN_THEMES = [t for t in THEMES if t != NEW_THEME]

# Which themes co-occur in one record (secondary theme weights per primary theme).
AFFINITY = {
    "asuminen": {
        "velat_toimeentulo": 4,
        "paihdehoito_jonot": 3,
        "lahisuhdevakivalta": 2,
        "jalkihuolto": 1,
        "pitkaaikaistyottomyys": 1,
        "nuorten_mielenterveys": 1,
    },
    "velat_toimeentulo": {
        "asuminen": 4,
        "pitkaaikaistyottomyys": 3,
        "digisyrjaytyminen": 2,
        "paihdehoito_jonot": 1,
        "kielimuuri_tulkkaus": 1,
    },
    "paihdehoito_jonot": {
        "asuminen": 3,
        "velat_toimeentulo": 3,
        "nuorten_mielenterveys": 2,
        "lahisuhdevakivalta": 2,
        "pitkaaikaistyottomyys": 1,
    },
    "nuorten_mielenterveys": {
        "jalkihuolto": 2,
        "paihdehoito_jonot": 2,
        "pitkaaikaistyottomyys": 1,
        "lahisuhdevakivalta": 1,
        "maaseutu_liikenne": 1,
    },
    "ikaantyneiden_yksinaisyys": {
        "maaseutu_liikenne": 3,
        "digisyrjaytyminen": 3,
        "omaishoitajien_uupumus": 2,
    },
    "maaseutu_liikenne": {
        "ikaantyneiden_yksinaisyys": 3,
        "digisyrjaytyminen": 2,
        "pitkaaikaistyottomyys": 2,
        "omaishoitajien_uupumus": 1,
    },
    "digisyrjaytyminen": {
        "velat_toimeentulo": 3,
        "ikaantyneiden_yksinaisyys": 2,
        "kielimuuri_tulkkaus": 2,
        "maaseutu_liikenne": 2,
    },
    "lahisuhdevakivalta": {
        "asuminen": 3,
        "velat_toimeentulo": 2,
        "paihdehoito_jonot": 2,
        "kielimuuri_tulkkaus": 1,
    },
    "kielimuuri_tulkkaus": {
        "pitkaaikaistyottomyys": 3,
        "digisyrjaytyminen": 3,
        "velat_toimeentulo": 2,
        "asuminen": 1,
    },
    "pitkaaikaistyottomyys": {
        "velat_toimeentulo": 4,
        "maaseutu_liikenne": 2,
        "paihdehoito_jonot": 1,
        "digisyrjaytyminen": 1,
        "kielimuuri_tulkkaus": 1,
    },
    "jalkihuolto": {"asuminen": 3, "nuorten_mielenterveys": 3, "velat_toimeentulo": 2},
    "omaishoitajien_uupumus": {
        "ikaantyneiden_yksinaisyys": 3,
        "maaseutu_liikenne": 2,
        "velat_toimeentulo": 1,
    },
    NEW_THEME: {"velat_toimeentulo": 4, "asuminen": 1},
}

# Target number of records (as primary theme) in the main file, before drift between themes.
TARGETS = {
    "asuminen": 100,
    "velat_toimeentulo": 92,
    "paihdehoito_jonot": 75,
    "nuorten_mielenterveys": 75,
    "ikaantyneiden_yksinaisyys": 65,
    "maaseutu_liikenne": 55,
    "digisyrjaytyminen": 60,
    "lahisuhdevakivalta": 50,
    "kielimuuri_tulkkaus": 60,
    "pitkaaikaistyottomyys": 75,
    "jalkihuolto": 50,
    "omaishoitajien_uupumus": 58,
}
# Concentrated themes: few clients, many records each.
CONCENTRATED = {"lahisuhdevakivalta", "jalkihuolto"}

THEME_SERVICE = {
    "asuminen": {
        "aikuissosiaalityö": 5,
        "päihde- ja mielenterveyspalvelut": 2,
        "työllisyyspalvelut": 1,
        "lastensuojelu": 1,
    },
    "velat_toimeentulo": {
        "aikuissosiaalityö": 5,
        "työllisyyspalvelut": 2,
        "ikääntyneiden palvelut": 1,
        "päihde- ja mielenterveyspalvelut": 1,
    },
    "paihdehoito_jonot": {"päihde- ja mielenterveyspalvelut": 6, "aikuissosiaalityö": 3},
    "nuorten_mielenterveys": {
        "lastensuojelu": 3,
        "päihde- ja mielenterveyspalvelut": 3,
        "aikuissosiaalityö": 2,
        "työllisyyspalvelut": 1,
    },
    "ikaantyneiden_yksinaisyys": {"ikääntyneiden palvelut": 7, "vammaispalvelut": 1},
    "maaseutu_liikenne": {
        "ikääntyneiden palvelut": 3,
        "vammaispalvelut": 2,
        "aikuissosiaalityö": 2,
        "työllisyyspalvelut": 1,
    },
    "digisyrjaytyminen": {
        "ikääntyneiden palvelut": 3,
        "aikuissosiaalityö": 3,
        "työllisyyspalvelut": 2,
        "vammaispalvelut": 1,
    },
    "lahisuhdevakivalta": {
        "aikuissosiaalityö": 4,
        "lastensuojelu": 3,
        "päihde- ja mielenterveyspalvelut": 1,
    },
    "kielimuuri_tulkkaus": {"aikuissosiaalityö": 4, "työllisyyspalvelut": 3, "lastensuojelu": 2},
    "pitkaaikaistyottomyys": {"työllisyyspalvelut": 6, "aikuissosiaalityö": 3},
    "jalkihuolto": {"lastensuojelu": 8, "aikuissosiaalityö": 1},
    "omaishoitajien_uupumus": {"ikääntyneiden palvelut": 5, "vammaispalvelut": 4},
    NEW_THEME: {"aikuissosiaalityö": 3, "päihde- ja mielenterveyspalvelut": 2},
}

# Birth-year range of a client, by core theme.
THEME_AGE = {
    "nuorten_mielenterveys": (2004, 2009),
    "jalkihuolto": (2000, 2007),
    "ikaantyneiden_yksinaisyys": (1933, 1950),
    "omaishoitajien_uupumus": (1942, 1975),
    "maaseutu_liikenne": (1940, 1995),
    "digisyrjaytyminen": (1938, 1990),
}
DEFAULT_AGE = (1962, 2003)

# ---------------------------------------------------------------------------------------------
# Boilerplate shared across themes (the register signal the pipeline must see through).
# ---------------------------------------------------------------------------------------------
BOILER_INTRO = [
    "Asiakas saapui tapaamiseen sovitusti.",
    "Tapaaminen toteutettiin puhelimitse.",
    "Kotikäynti tehtiin yhdessä sosiaaliohjaajan kanssa.",
    "Asiakkaan kanssa käytiin läpi palvelutarpeen arvioinnin tarkoitus.",
    "Asiakkaan kanssa keskusteltu tilanteesta.",
    "Tapaaminen pidettiin sosiaalitoimiston vastaanotolla.",
    "Arvio on tehty asiakkaan pyynnöstä.",
    "Asiakas on ohjautunut palveluun terveysaseman kautta.",
]
BOILER_CLOSE = [
    "Jatketaan suunnitelman mukaisesti.",
    "Asiakas on tietoinen oikeuksistaan.",
    "Seuraava tapaaminen sovitaan myöhemmin.",
    "Asiakkaalle on kerrottu muutoksenhakuoikeudesta.",
    "Asiakas on antanut suostumuksen tietojen luovuttamiseen yhteistyötahoille.",
    "Tilannetta seurataan.",
    "Asiakas osallistui arviointiin aktiivisesti.",
    "Asiakkaan näkemys on kirjattu.",
    "Suunnitelma tarkistetaan kolmen kuukauden kuluttua.",
    "Sovittiin, että asiakas ottaa tarvittaessa yhteyttä.",
    "Yhteistyötahoihin ollaan yhteydessä asiakkaan luvalla.",
    "Asiakkaan tilanne arvioidaan uudelleen seuraavalla tapaamisella.",
    "Asiakirja on laadittu asiakkaan läsnä ollessa.",
    "Ei muuta erityistä.",
]
BOILER_AKTIV_INTRO = [
    "Aktivointisuunnitelma laadittu yhteistyössä asiakkaan ja työllisyyspalveluiden kanssa.",
    "Asiakkaan kanssa on sovittu aktivointisuunnitelman tavoitteista.",
    "Suunnitelman tavoitteena on vahvistaa asiakkaan työ- ja toimintakykyä.",
    "Aktivointisuunnitelma on laadittu monialaisessa yhteistyössä.",
]
BOILER_AKTIV_CLOSE = [
    "Asiakas on sitoutunut suunnitelmaan.",
    "Suunnitelma tarkistetaan kuuden kuukauden kuluttua tai tarvittaessa aiemmin.",
    "Asiakkaalle on kerrottu, että suunnitelmasta kieltäytyminen voi vaikuttaa "
    "työmarkkinatuen maksamiseen.",
    "Jatketaan suunnitelman mukaisesti.",
]
HEADERS = {
    "palvelutarpeen_arviointi": (
        ["Palvelutarpeen arviointi", "Taustatiedot:"],
        ["Asiakkaan tilanne:", "Sosiaalityöntekijän arvio:"],
        ["Jatkosuunnitelma:", "Sovitut toimenpiteet:"],
    ),
    "sosiaalinen_raportti": (
        ["Sosiaalinen raportti", "Taustaa:"],
        ["Asiakkaan tilanne:", "Havainnot:"],
        ["Arvio ja toimenpiteet:", "Jatkotoimet:"],
    ),
    "aktivointisuunnitelma": (["Aktivointisuunnitelma"], ["Nykytilanne:"], ["Tavoitteet:"]),
}

# ---------------------------------------------------------------------------------------------
# Proposals for action in social reports (appended records, a random stream of their own). A
# body is a passive clause that reads both after a label ("Ehdotus: Kuntaan perustetaan…")
# and after a proposal verb ("Esitän, että kuntaan perustetaan…").
# ---------------------------------------------------------------------------------------------
PROPOSALS: dict[str, list[str]] = {
    "asuminen": [
        "kuntaan perustetaan asumisneuvonnan päivystys, johon vuokranantaja voi ilmoittaa "
        "vuokrarästeistä ennen häätöhakemusta",
        "harkinnanvaraisen toimeentulotuen päätökset vuokrarästeihin tehdään viikon kuluessa, "
        "kun häätö uhkaa",
        "vuokranantajien kanssa sovitaan käytännöstä, jossa sosiaalitoimen maksusitoumus "
        "vuokravakuuteen hyväksytään nopeasti",
        "tilapäismajoitukseen varataan paikkoja myös nuorille ja pariskunnille",
    ],
    "velat_toimeentulo": [
        "talous- ja velkaneuvontaan järjestetään nopeutettu ajanvaraus sosiaalityön asiakkaille",
        "toimeentulotuen asiakkaalle nimetään yksi yhteyshenkilö, joka sovittaa yhteen "
        "perustoimeentulotuen ja harkinnanvaraisen tuen",
        "pikavippien ja maksuhäiriöiden puheeksiotto lisätään palvelutarpeen arvioinnin "
        "vakiokysymyksiin",
        "sosiaalinen luototus otetaan käyttöön koko hyvinvointialueella",
    ],
    "paihdehoito_jonot": [
        "päihdehoitoon jonottaville järjestetään odotusajan tukikäynnit kahden viikon välein",
        "katkaisuhoitopaikkoja lisätään niin, että hoitoon pääsee viikon kuluessa",
        "päihdepalveluihin perustetaan matalan kynnyksen vastaanotto ilman ajanvarausta",
        "päihdehoidon jonotilanne raportoidaan johtoryhmälle neljännesvuosittain",
    ],
    "nuorten_mielenterveys": [
        "oppilashuoltoon ja nuorisoasemalle nimetään yhteinen työpari, joka aloittaa työn ilman "
        "lähetettä",
        "nuorten mielenterveyspalveluiden odotusajat raportoidaan erikseen ja odotusajalle "
        "tarjotaan tukikäyntejä",
        "etsivää nuorisotyötä vahvistetaan ja tiedonkulusta oppilaitosten kanssa sovitaan",
        "toisen asteen oppilaitoksiin lisätään kuraattorin ja psykiatrisen sairaanhoitajan "
        "työaikaa",
    ],
    "ikaantyneiden_yksinaisyys": [
        "ikääntyneille järjestetään kotiin vietävää ryhmätoimintaa yhdessä järjestöjen kanssa",
        "kotihoidon käynteihin varataan aikaa keskustelulle ja yksinäisyyden puheeksiotolle",
        "yksinäisyyden kartoitus lisätään ikääntyneiden palvelutarpeen arviointiin",
        "päivätoiminnan kuljetukset järjestetään myös haja-asutusalueille",
    ],
    "maaseutu_liikenne": [
        "haja-asutusalueille järjestetään kutsuohjattu asiointiliikenne vähintään kahdesti "
        "viikossa",
        "asiointiliikenteen aikataulut sovitetaan sosiaali- ja terveysaseman aukioloaikoihin",
        "etäasiointi tarjotaan kaikissa sosiaalipalveluissa niille, joilla ei ole kulkuyhteyttä",
        "kuljetuspalvelun matkojen enimmäismäärä arvioidaan uudelleen maaseudulla asuvien osalta",
    ],
    "digisyrjaytyminen": [
        "hyvinvointialueen palveluissa säilytetään aina ei-digitaalinen asiointitapa",
        "ikääntyneiden palveluihin nimetään digitukihenkilö, joka auttaa asiointivaltuutusten "
        "tekemisessä",
        "sähköisen asioinnin lomakkeista tehdään selkokieliset versiot",
        "kirjastoihin ja palvelupisteisiin järjestetään säännöllinen digituen päivystys",
    ],
    "lahisuhdevakivalta": [
        "väkivallan puheeksiotto ja riskinarviointi lisätään kaikkiin aikuissosiaalityön "
        "alkuarviointeihin",
        "turvakotiin järjestetään kuljetus myös maaseudulta",
        "väkivaltaa kokeneille järjestetään nopea pääsy asumisneuvontaan ja taloudelliseen tukeen",
        "väkivallan tekijöille suunnattua avopalvelua laajennetaan koko alueelle",
    ],
    "kielimuuri_tulkkaus": [
        "tulkkauksen tilaamista yksinkertaistetaan ja etätulkkaus otetaan käyttöön kaikissa "
        "toimipisteissä",
        "tärkeimmät päätöskirjeet käännetään yleisimmille asiakaskielille ja selkosuomeksi",
        "kotoutumiskoulutuksen jälkeiseen ohjaukseen nimetään vastuutyöntekijä",
        "harvinaisten kielten tulkkaus hankitaan yhdessä naapurialueiden kanssa",
    ],
    "pitkaaikaistyottomyys": [
        "kuntouttavan työtoiminnan paikkoja lisätään ja niihin järjestetään yksilöllinen tuki",
        "työllisyyspalveluiden ja sosiaalityön yhteisvastaanotto järjestetään pitkään "
        "työttömänä olleille",
        "työkyvyn arviointiin pääsyä nopeutetaan pitkäaikaistyöttömien osalta",
        "palkkatuettuja työpaikkoja hankitaan yhdessä paikallisten yritysten kanssa",
    ],
    "jalkihuolto": [
        "jälkihuollon nuorelle nimetään yksi pysyvä työntekijä koko jälkihuollon ajaksi",
        "jälkihuollon nuorille varataan tukiasuntoja",
        "jälkihuollon päättyessä laaditaan aina siirtymäsuunnitelma aikuissosiaalityöhön",
        "jälkihuoltonuorten vertaistukiryhmä käynnistetään yhdessä järjestöjen kanssa",
    ],
    "omaishoitajien_uupumus": [
        "omaishoitajan vapaan järjestämiseen lisätään vaihtoehtoja, kuten kotiin tuleva "
        "sijaishoitaja",
        "omaishoitajille tehdään vuosittain hyvinvointitarkastus",
        "omaishoitajien vertaistukiryhmiä järjestetään myös iltaisin",
        "lyhytaikaishoidon paikkoja lisätään omaishoitajien vapaiden ajaksi",
    ],
}
# How the writer marks a proposal: a label on its own line, a label before the text, or a
# proposal verb opening the sentence.
PROPOSAL_LABEL_LINES = ["Toimenpide-ehdotus:", "Ehdotukset:"]
PROPOSAL_LABELS = ["Ehdotus: ", "Toimenpide-ehdotus: "]
PROPOSAL_VERBS = ["Ehdotan, että ", "Ehdotamme, että ", "Esitän, että "]
PROPOSAL_CONTACT = "Lisätietoja antaa {w_title} {W_first_nom} {W_last_nom}."
PROPOSAL_SEED = SEED + 14  # the appended social reports' own random stream (issue 14)
PROPOSAL_REPORTS_MAIN = 5  # per theme, from distinct clients (above the 5-client rule)
PROPOSAL_REPORTS_MORE = 1
PUHE_OPEN = [
    "Hei,",
    "hei",
    "moi!",
    "Palautetta:",
    "Hei vaan.",
    "Terve,",
    "palautetta sosiaalitoimeen:",
]
PUHE_CLOSE = [
    "kiitos",
    "Kiitos.",
    "kiitos jos joku lukee",
    "ei muuta",
    "toivottavasti tää menee perille",
    "terveisin asiakas",
    ":(",
    "kiitos avusta!",
]
SV_INTRO = [
    "Situationen har diskuterats med klienten.",
    "Mötet hölls per telefon.",
    "Hembesök gjordes tillsammans med socialhandledaren.",
]
SV_CLOSE = [
    "Planen följs enligt överenskommelse.",
    "Klienten är informerad om sina rättigheter.",
    "Nästa möte avtalas senare.",
    "Klienten har informerats om möjligheten att söka ändring.",
]
SV_OPEN = ["Hej,", "hej!"]
SV_END = ["tack", "Tack på förhand."]

# ---------------------------------------------------------------------------------------------
# Sentences that plant personal data (theme-neutral). Slots: C_* client name parts, W_* worker,
# R_* relative, hetu/phone/email/address (client), w_phone/w_email/w_title (worker).
# ---------------------------------------------------------------------------------------------
PII_PRO = {
    "client_header": [
        "Asiakas {C_first_nom} {C_last_nom}, henkilötunnus {hetu}.",
        "Asiakkaan tiedot: {C_first_nom} {C_last_nom}, {hetu}.",
        "Asiakas: {C_last_nom} {C_first_nom} ({hetu}).",
    ],
    "hetu": ["Asiakkaan henkilötunnus on {hetu}.", "Hetu: {hetu}."],
    "address": [
        "Asiakkaan osoite on {address}.",
        "Asiakas asuu osoitteessa {address}.",
        "Kutsu seuraavaan tapaamiseen lähetetään osoitteeseen {address}.",
    ],
    "phone": [
        "Asiakas on tavoitettavissa numerosta {phone} arkisin.",
        "Asiakkaan puhelinnumero on {phone}.",
        "{C_first_all} soitetaan numeroon {phone} ennen tapaamista.",
    ],
    "email": [
        "Asiakkaan sähköpostiosoite on {email}.",
        "Asiakas toivoo yhteydenottoja sähköpostitse osoitteeseen {email}.",
    ],
    "relative": [
        "Tapaamisessa oli mukana asiakkaan {R_role_nom} {R_nom}.",
        "{R_role_Nom} {R_nom} käy auttamassa kotona viikoittain.",
        "Asiakkaan {R_role_gen} {R_gen} kanssa on sovittu yhteydenpidosta.",
        "Asiakas on antanut luvan antaa tietoja myös {R_role_all} {R_all}.",
        "{R_role_Nom} {R_nom} on ollut huolissaan tilanteesta ja ottanut yhteyttä sosiaalitoimeen.",
        "Asiakkaan mukaan {R_role_nom} {R_nom} on tärkein tukihenkilö.",
        "{R_gen} lisäksi muita läheisiä ei juuri ole.",
    ],
    "worker": [
        "Laatija: {w_title} {W_first_nom} {W_last_nom}",
        "{w_title_Nom} {W_first_nom} {W_last_nom}, puh. {w_phone}",
        "Yhteystiedot: {W_first_nom} {W_last_nom}, {w_email}, {w_phone}.",
        "Asiakkaan asioita hoitaa jatkossa {w_title} {W_first_nom} {W_last_nom}.",
        "Asiakas on soittanut {W_last_all} useita kertoja.",
        "Tapaamisen kirjasi {W_first_nom} {W_last_nom}.",
    ],
    "hetu_plus": [
        "Kelan päätökseen henkilötunnus on kirjattu virheellisesti muodossa "
        "{hetu_plus}, ja korjausta on pyydetty."
    ],
}
PII_PUHE = {
    "sign": [
        "t. {C_first_nom} {C_last_nom}",
        "terveisin {C_first_nom}",
        "{C_first_nom} {C_last_nom}",
    ],
    "phone": [
        "mun numero on {phone} jos joku haluu soittaa",
        "soittakaa {phone}",
        "voitte soittaa numeroon {phone}",
    ],
    "email": ["laittakaa viestiä {email}", "mun sähköposti on {email}"],
    "worker": [
        "{W_first_nom} lupas soittaa mut ei oo soittanu",
        "{W_first_all} iso kiitos!",
        "{W_first_abl} en oo kuullu mitään viikkoihin",
        "{W_first_nom} {W_last_nom} oli tosi ystävällinen",
        "{W_first_gen} kanssa oli helppo puhua",
        "sossu {W_first_nom} ei vastaa viesteihin",
    ],
    "relative": [
        "mun {R_role_nom} {R_nom} auttaa välillä",
        "soitin {R_role_all} {R_all} ku en tienny mitä tehä",
        "{R_nom} sano et mun pitäis ottaa yhteyttä teihin",
    ],
    "hetu": ["mun hetu on {hetu} jos tarviitte"],
    "address": ["asun osoitteessa {address}"],
}
PII_SV = {
    "client_header": ["Klient: {C_first_nom} {C_last_nom}, personbeteckning {hetu}."],
    "phone": ["Klienten nås på telefon {phone}."],
    "email": ["E-post: {email}."],
    "address": ["Adress: {address}."],
    "worker": ["Handläggare: {w_title_sv} {W_first_nom} {W_last_nom}, {w_phone}."],
    "relative": ["Klientens {R_role_sv} {R_nom} deltog i mötet."],
    "sign": ["hälsningar {C_first_nom}"],
}

# ---------------------------------------------------------------------------------------------
# Identifiers.
# ---------------------------------------------------------------------------------------------
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(birth: dt.date, sign: str, individual: int) -> str:
    """Finnish personal identity code with a valid check character.

    Individual numbers 900-999 are the range reserved for test identities, so these codes are
    checksum-valid but never a real person's.
    """
    ddmmyy = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
    check = HETU_CHECK[int(f"{ddmmyy}{individual:03d}") % 31]
    return f"{ddmmyy}{sign}{individual:03d}{check}"


def century_sign(year: int, r: random.Random) -> str:
    if year >= 2000:
        return "B" if r.random() < 0.1 else "A"  # 2023 reform: A-F for the 2000s
    return r.choice("YX") if r.random() < 0.08 else "-"  # and -, Y, X, W, V, U for the 1900s


def ascii_fold(s: str) -> str:
    return s.lower().translate(str.maketrans("äöåé", "aoae"))


def phone(r: random.Random, landline: bool = False) -> str:
    if landline:
        area = r.choice(["09", "019"])
        return f"{area}-{r.randrange(100, 1000)} {r.randrange(1000, 10000)}"
    pre = r.choice(["40", "41", "44", "45", "50"])
    a, b = r.randrange(100, 1000), r.randrange(1000, 10000)
    style = r.random()
    if style < 0.45:
        return f"0{pre} {a} {b}"
    if style < 0.7:
        return f"+358 {pre} {a}{b}"
    if style < 0.85:
        return f"0{pre}-{a} {b}"
    return f"0{pre}{a}{b}"


# ---------------------------------------------------------------------------------------------
# Data model.
# ---------------------------------------------------------------------------------------------
@dataclass
class Person:
    first: str
    last: str
    gender: str
    forms_first: tuple[str, ...] = ()
    forms_last: tuple[str, ...] = ()
    origin: str = ""  # "" Finnish/Swedish, or an immigrant origin code (see FIRST)

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    def form(self, part: str, case: str) -> str:
        forms = self.forms_first if part == "first" else self.forms_last
        if not forms:  # Swedish names: nominative, genitive -s
            name = self.first if part == "first" else self.last
            return name if case == "nom" else (name if name[-1] in "sxz" else name + "s")
        return forms[CASES.index(case)]


@dataclass
class Worker:
    person: Person
    title: str
    phone: str
    email: str
    area: str
    service: str


@dataclass
class Client:
    cid: str
    person: Person
    birth: dt.date
    hetu: str
    municipality: str
    service: str
    core: str
    lang: str
    age_group: str
    phone: str
    email: str
    address: str
    relatives: list[tuple[str, Person]]
    worker: Worker
    immigrant: bool = False


@dataclass
class Sent:
    tpl: str
    kind: str  # theme | plan | boiler | pii | header | open | close
    theme: str | None = None
    vals: dict = field(default_factory=dict)
    pii: list = field(default_factory=list)  # [(kind, value)]
    text: str = ""


@dataclass
class Doc:
    client: Client
    date: dt.date
    service: str
    worker: Worker
    doc_type: str
    lang: str
    paras: list[list[Sent]]
    colloquial: bool
    noise: tuple[float, bool] = (0.0, False)
    did: str = ""
    primary: str = ""
    themes: list[str] = field(default_factory=list)
    dup_of: str | None = None

    def sentences(self) -> list[Sent]:
        return [s for p in self.paras for s in p]


# ---------------------------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------------------------
FORMATTER = string.Formatter()


def fields_of(tpl: str) -> list[str]:
    return [f for _, f, _, _ in FORMATTER.parse(tpl) if f]


def eligible(theme: str, client: Client) -> bool:
    """Themes that only fit some clients (no school dropout at 70, no carer's leave at 20,
    interpreting only for clients whose first language is not Finnish or Swedish)."""
    birth_year = client.birth.year
    if theme == "kielimuuri_tulkkaus":
        return client.immigrant
    if theme in ("nuorten_mielenterveys", "jalkihuolto"):
        return birth_year >= 1998
    if theme == "ikaantyneiden_yksinaisyys":
        return birth_year <= 1958
    if theme == "pitkaaikaistyottomyys":
        return 1958 <= birth_year <= 2006
    if theme == "omaishoitajien_uupumus":
        return birth_year <= 1985
    return True


TAG_RE = re.compile(r"^(?:@\w+ )+")


def fits(tpl: str, client: Client) -> bool:
    """Template tags keep sentences plausible for the client: `@f`/`@m` gender, `@old` born
    1960 or earlier, `@notold` born after 1960, `@adult` born 1985 or earlier, `@s` from
    Ukraine or Russia (temporary protection)."""
    tags = TAG_RE.match(tpl)
    if not tags:
        return True
    year, g = client.birth.year, client.person.gender
    checks = {
        "s": client.person.origin == "is",
        "f": g == "f",
        "m": g == "m",
        "old": year <= 1960,
        "notold": year > 1960,
        "adult": year <= 1985,
    }
    return all(checks[t] for t in tags.group(0).replace("@", "").split())


def strip_tags(tpl: str) -> str:
    return TAG_RE.sub("", tpl)


def wchoice(r: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return r.choices(keys, weights=[weights[k] for k in keys])[0]


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.r = random.Random(seed)
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.used_hetu: set[str] = set()
        self.used_phones: set[str] = set()
        self.workers = self._make_workers()
        self.hetu_plus_left = 3

    # -- people -------------------------------------------------------------------------------
    def _person(
        self,
        age_group: str,
        immigrant: bool = False,
        gender: str | None = None,
        swedish: bool = False,
    ) -> Person:
        r = self.r
        for _ in range(1000):
            if swedish:
                first = r.choice(sorted(SV_FIRST))
                g = SV_FIRST[first]
                last = r.choice(SV_LAST)
                p = Person(first, last, g)
            else:
                origin = r.choices(["ia", "is", "iv"], [5, 4, 1])[0] if immigrant else ""
                firsts = [
                    n
                    for n, (g, ag, _) in FIRST.items()
                    if (ag == origin if immigrant else age_group in ag and ag[0] != "i")
                    and (gender is None or g == gender)
                ]
                first = r.choice(firsts)
                g, _, ff = FIRST[first]
                lasts = [
                    n
                    for n, (o, _) in LAST.items()
                    if (o[:2] == origin if immigrant else o == "fi")
                    and not (len(o) == 3 and o[2] != g)  # Ivanova / Petrov
                ]
                last = r.choice(lasts)
                p = Person(first, last, g, ff, LAST[last][1], origin)
            if p.full not in self.used_names:
                self.used_names.add(p.full)
                return p
        raise RuntimeError("ran out of names")

    def _make_workers(self) -> list[Worker]:
        r = self.r
        workers = []
        for area in ["Porvoo", "Sipoo", "Loviisa", "rural"]:
            for service in SERVICES:
                p = self._person("m")
                title = r.choice(WORKER_TITLES)
                email = f"{ascii_fold(p.first)}.{ascii_fold(p.last)}@example.fi"
                workers.append(
                    Worker(
                        p,
                        title,
                        self._unique_phone(landline=r.random() < 0.5),
                        email,
                        area,
                        service,
                    )
                )
        return workers

    def _unique_phone(self, landline: bool = False) -> str:
        while True:
            p = phone(self.r, landline)
            digits = re.sub(r"\D", "", p)[-7:]
            if digits not in self.used_phones:
                self.used_phones.add(digits)
                return p

    def _client(self, core: str, lang: str = "fi") -> Client:
        r = self.r
        y0, y1 = THEME_AGE.get(core, DEFAULT_AGE)
        birth = dt.date(r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28))
        # names and relatives by actual age: y(oung) <= 27, o(ld) born 1958 or earlier
        group = "y" if birth.year >= 1998 else ("o" if birth.year <= 1958 else "m")
        immigrant = lang == "fi" and (core == "kielimuuri_tulkkaus" or r.random() < 0.06)
        person = self._person(group, immigrant=immigrant, swedish=lang == "sv")
        while True:
            code = hetu(birth, century_sign(birth.year, r), r.randrange(900, 1000))
            if code not in self.used_hetu:
                self.used_hetu.add(code)
                break
        while True:
            cid = f"A{r.randrange(100000, 1000000)}"
            if cid not in self.used_ids:
                self.used_ids.add(cid)
                break
        weights = {m: w for m, (w, _, _) in MUNICIPALITIES.items()}
        if core == "maaseutu_liikenne":
            weights = {m: w * (6 if rural else 0.4) for m, (w, rural, _) in MUNICIPALITIES.items()}
            weights["Loviisa"] *= 4
        elif core in ("ikaantyneiden_yksinaisyys", "omaishoitajien_uupumus"):
            weights = {m: w * (2 if rural else 1) for m, (w, rural, _) in MUNICIPALITIES.items()}
        elif core == "kielimuuri_tulkkaus":
            weights = {
                m: w * (0.3 if rural else 1.5) for m, (w, rural, _) in MUNICIPALITIES.items()
            }
        if lang == "sv":
            weights = {"Porvoo": 5, "Loviisa": 4, "Sipoo": 4, "Lapinjärvi": 1}
        muni = wchoice(r, weights)
        service = wchoice(r, THEME_SERVICE[core])
        rural = MUNICIPALITIES[muni][1]
        pc = r.choice(MUNICIPALITIES[muni][2])
        if rural or r.random() < 0.2:
            address = f"{r.choice(RURAL_STREETS)} {r.randrange(2, 400)}, {pc} {muni}"
        else:
            apt = r.choice(
                ["", f" {r.choice('ABCD')} {r.randrange(1, 40)}", f" as. {r.randrange(1, 30)}"]
            )
            address = f"{r.choice(TOWN_STREETS)} {r.randrange(1, 60)}{apt}, {pc} {muni}"
        first, last = ascii_fold(person.first), ascii_fold(person.last)
        yy = f"{birth.year % 100:02d}"
        email = r.choice(
            [
                f"{first}.{last}@example.com",
                f"{first}{yy}@example.fi",
                f"{first[0]}{last}@example.com",
                f"{first}.{last}@example.fi",
            ]
        )
        relatives = []
        for role in r.sample(ROLES_BY_AGE[group], k=r.choice([1, 1, 2])):
            g = ROLES[role][0] or ("f" if person.gender == "m" else "m")
            rel = self._relative(g, person, swedish=lang == "sv")
            relatives.append((role, rel))
        area = muni if muni in ("Porvoo", "Sipoo", "Loviisa") else "rural"
        worker = next(w for w in self.workers if w.area == area and w.service == service)
        return Client(
            cid,
            person,
            birth,
            code,
            muni,
            service,
            core,
            lang,
            group,
            self._unique_phone(landline=r.random() < 0.1),
            email,
            address,
            relatives,
            worker,
            person.origin != "",
        )

    def _relative(self, gender: str, client: Person, swedish: bool) -> Person:
        r = self.r
        if swedish:
            names = [n for n, g in SV_FIRST.items() if g == gender and n != client.first]
            return Person(r.choice(sorted(names)), "", gender)
        # relatives share the client's origin; Finnish clients get Finnish-named relatives
        names = [
            n
            for n, (g, ag, _) in FIRST.items()
            if g == gender
            and n != client.first
            and (ag == client.origin if client.origin else ag[0] != "i")
        ]
        if not names:
            names = [n for n, (g, ag, _) in FIRST.items() if g == gender and ag[0] == "i"]
        name = r.choice(names)
        return Person(name, "", gender, FIRST[name][2], ())

    # -- theme choice -------------------------------------------------------------------------
    def _secondaries(self, primary: str, k: int) -> list[str]:
        aff = {t: w for t, w in AFFINITY[primary].items() if eligible(t, self.client)}
        out = []
        for _ in range(k):
            if not aff:
                break
            t = wchoice(self.r, aff)
            out.append(t)
            del aff[t]
        return out

    def _doc_type(self, client: Client) -> str:
        w = list(DOC_TYPE_WEIGHTS)
        if client.birth.year < 1960:
            w[2] = 2  # activation plans are for working-age clients
        return self.r.choices(DOC_TYPES, weights=w)[0]

    # -- building documents -------------------------------------------------------------------
    def _theme_sents(self, theme: str, pool: str, k: int) -> list[Sent]:
        tpls = [t for t in THEMES[theme][pool] if fits(t, self.client)]
        kind = "plan" if pool == "plan" else "theme"
        return [Sent(strip_tags(t), kind, theme) for t in self.r.sample(tpls, k=min(k, len(tpls)))]

    def _pii_plan(self, colloquial: bool, lang: str) -> list[str]:
        r = self.r
        if lang == "sv":
            comps = {
                "client_header": 3,
                "phone": 2,
                "email": 1,
                "address": 1,
                "worker": 2,
                "relative": 2,
                "subject": 2,
            }
        elif colloquial:
            comps = {
                "sign": 4,
                "phone": 2,
                "email": 1.5,
                "worker": 3,
                "relative": 2,
                "hetu": 0.5,
                "address": 0.5,
            }
        else:
            comps = {
                "subject": 5,
                "client_header": 2.5,
                "hetu": 0.8,
                "address": 1.5,
                "phone": 2,
                "email": 1,
                "relative": 2.5,
                "worker": 3,
            }
        n = r.choices([1, 2, 3], weights=[45, 35, 20])[0]
        out = []
        for _ in range(n):
            c = wchoice(r, comps)
            out.append(c)
            del comps[c]
        if not colloquial and lang == "fi" and self.hetu_plus_left and r.random() < 0.03:
            self.hetu_plus_left -= 1
            out.append("hetu_plus")
        return out

    def make_doc(
        self,
        client: Client,
        date: dt.date,
        primary: str,
        doc_type: str | None = None,
        pii_rate: float = 0.40,
    ) -> Doc:
        r = self.r
        self.client = client
        doc_type = doc_type or self._doc_type(client)
        service = client.service if r.random() < 0.9 else wchoice(r, THEME_SERVICE[primary])
        worker = (
            client.worker
            if r.random() < 0.85
            else r.choice([w for w in self.workers if w.area == client.worker.area])
        )
        pii = (
            self._pii_plan(doc_type == "asiakaspalaute", client.lang)
            if r.random() < pii_rate
            else []
        )
        if client.lang == "sv":
            paras = self._build_sv(primary, doc_type, pii)
        elif doc_type == "asiakaspalaute":
            paras = self._build_feedback(primary, pii)
        elif doc_type == "aktivointisuunnitelma":
            paras = self._build_aktiv(primary, pii)
        else:
            paras = self._build_long(primary, doc_type, pii)
        doc = Doc(
            client,
            date,
            service,
            worker,
            doc_type,
            client.lang,
            paras,
            colloquial=doc_type == "asiakaspalaute",
        )
        if doc.colloquial:
            doc.noise = (r.choice([0.0, 0.02, 0.04, 0.07]), r.random() < 0.12)
        self._resolve(doc, name_mode="subject" in pii)
        self._render(doc)
        return doc

    def _pii_sents(self, table: dict[str, list[str]], comps: list[str]) -> list[Sent]:
        return [Sent(self.r.choice(table[c]), "pii") for c in comps if c in table]

    def _build_long(self, primary: str, doc_type: str, pii: list[str]) -> list[list[Sent]]:
        r = self.r
        n_pii = len([c for c in pii if c != "subject"])
        while True:
            k = r.choices([0, 1, 2], weights=[20, 50, 30])[0]
            secs = self._secondaries(primary, k)
            p_obs = r.randint(2, 5)
            p_plan = r.choice([1, 1, 2])
            p_total = p_obs + p_plan
            sec_counts = []
            for _ in secs:
                s_obs = r.randint(1, max(1, min(3, p_total - 2)))
                s_plan = 1 if (r.random() < 0.3 and s_obs + 1 < p_total) else 0
                sec_counts.append((s_obs, s_plan))
            intro = 1 if r.random() < 0.8 else 0
            close = r.choice([1, 1, 2])
            total = p_total + sum(a + b for a, b in sec_counts) + intro + close + n_pii
            if 4 <= total <= 12 and all(a + b < p_total for a, b in sec_counts):
                break
        heads = HEADERS[doc_type]
        use_heads = r.random() < 0.4
        blocks = [self._theme_sents(primary, "pro", p_obs)]
        if p_obs >= 4 and r.random() < 0.5:  # long primary block over two paragraphs
            cut = r.randint(2, p_obs - 2)
            blocks = [blocks[0][:cut], blocks[0][cut:]]
        for t, (a, _) in zip(secs, sec_counts, strict=True):
            blocks.append(self._theme_sents(t, "pro", a))
        if r.random() < 0.3:
            r.shuffle(blocks)
        plans = self._theme_sents(primary, "plan", p_plan)
        for t, (_, b) in zip(secs, sec_counts, strict=True):
            if b:
                plans += self._theme_sents(t, "plan", b)
        r.shuffle(plans)
        pii_s = self._pii_sents(PII_PRO, pii)
        worker_s = [s for s in pii_s if s.tpl in PII_PRO["worker"][:3]]  # signatures go last
        other_pii = [s for s in pii_s if s not in worker_s]
        first = []
        if use_heads:
            first.append(Sent(r.choice(heads[0]), "header"))
        if intro:
            first.append(Sent(r.choice(BOILER_INTRO), "boiler"))
        first += [s for s in other_pii if s.tpl in PII_PRO["client_header"]]
        rest_pii = [s for s in other_pii if s.tpl not in PII_PRO["client_header"]]
        paras = [first] if first else []
        for i, b in enumerate(blocks):
            para = list(b)
            if use_heads and i == 0:
                para.insert(0, Sent(r.choice(heads[1]), "header"))
            if rest_pii and r.random() < 0.5:
                lo = 1 if para[0].kind == "header" else 0
                para.insert(r.randint(lo, len(para)), rest_pii.pop())
            if i > 0 and r.random() < 0.25:  # sometimes one paragraph holds two themes
                paras[-1] += para
            else:
                paras.append(para)
        last = [Sent(r.choice(heads[2]), "header")] if use_heads else []
        last += plans + rest_pii
        last += [Sent(t, "boiler") for t in r.sample(BOILER_CLOSE, k=close)]
        paras.append(last)
        if worker_s:
            paras.append(worker_s)
        if paras and all(s.kind == "header" for s in paras[0]):
            paras.pop(0)  # a lone "Taustaa:" with nothing under it
        return paras

    def _build_aktiv(self, primary: str, pii: list[str]) -> list[list[Sent]]:
        r = self.r
        sec = self._secondaries(primary, 1) if r.random() < 0.45 else []
        p_obs = r.randint(2, 3)
        body = self._theme_sents(primary, "pro", p_obs)
        if sec:
            body += self._theme_sents(sec[0], "pro", 1)
            r.shuffle(body)
        plans = self._theme_sents(primary, "plan", r.choice([1, 2]))
        heads = HEADERS["aktivointisuunnitelma"]
        use_heads = r.random() < 0.5
        pii_s = self._pii_sents(PII_PRO, pii)
        worker_s = [s for s in pii_s if s.tpl in PII_PRO["worker"][:3]]
        other = [s for s in pii_s if s not in worker_s]
        p1 = (
            ([Sent(heads[0][0], "header")] if use_heads else [])
            + [Sent(r.choice(BOILER_AKTIV_INTRO), "boiler")]
            + other
        )
        p2 = ([Sent(heads[1][0], "header")] if use_heads else []) + body
        p3 = (
            ([Sent(heads[2][0], "header")] if use_heads else [])
            + plans
            + [Sent(r.choice(BOILER_AKTIV_CLOSE), "boiler")]
        )
        paras = [p1, p2, p3]
        if worker_s:
            paras.append(worker_s)
        return paras

    def _build_feedback(self, primary: str, pii: list[str]) -> list[list[Sent]]:
        r = self.r
        sec = self._secondaries(primary, 1) if r.random() < 0.15 else []
        if sec:
            body = self._theme_sents(primary, "puhe", 2) + self._theme_sents(sec[0], "puhe", 1)
            r.shuffle(body)
        else:
            body = self._theme_sents(primary, "puhe", r.choices([1, 2, 3], [40, 40, 20])[0])
        sents = []
        if r.random() < 0.3:
            sents.append(Sent(r.choice(PUHE_OPEN), "open"))
        sents += body
        pii_s = self._pii_sents(PII_PUHE, pii)
        sign = [s for s in pii_s if s.tpl in PII_PUHE["sign"]]
        for s in pii_s:
            if s not in sign:
                sents.insert(
                    r.randint(1 if sents and sents[0].kind == "open" else 0, len(sents)), s
                )
        if r.random() < 0.3:
            sents.append(Sent(r.choice(PUHE_CLOSE), "close"))
        sents += sign
        return [sents]

    def _build_sv(self, primary: str, doc_type: str, pii: list[str]) -> list[list[Sent]]:
        r = self.r
        pii_s = self._pii_sents(PII_SV, pii)
        if doc_type == "asiakaspalaute":
            sents = [Sent(r.choice(SV_OPEN), "open")] if r.random() < 0.4 else []
            sents += self._theme_sents(primary, "sv_puhe", r.choice([1, 2]))
            sents += [s for s in pii_s if s.tpl not in PII_SV["sign"]]
            if r.random() < 0.4:
                sents.append(Sent(r.choice(SV_END), "close"))
            sents += [s for s in pii_s if s.tpl in PII_SV["sign"]]
            return [sents]
        body = self._theme_sents(primary, "sv", r.randint(2, 4))
        p1 = [Sent(r.choice(SV_INTRO), "boiler")] + [
            s for s in pii_s if s.tpl in PII_SV["client_header"]
        ]
        p3 = [Sent(r.choice(SV_CLOSE), "boiler")] + [
            s for s in pii_s if s.tpl not in PII_SV["client_header"] + PII_SV["sign"]
        ]
        return [p1, body, p3]

    # -- slot filling -------------------------------------------------------------------------
    def _resolve(self, doc: Doc, name_mode: bool) -> None:
        """Fill every slot, in reading order (pronouns only after the client was named)."""
        r = self.r
        c = doc.client
        rel_role, rel = c.relatives[0]
        if len(c.relatives) > 1 and r.random() < 0.5:
            rel_role, rel = c.relatives[1]
        young = c.age_group == "y"
        noun = "nuori" if young and r.random() < 0.5 else "asiakas"
        nouns = {
            "asiakas": dict(
                zip(
                    CASES,
                    (
                        "asiakas",
                        "asiakkaan",
                        "asiakasta",
                        "asiakkaalla",
                        "asiakkaalle",
                        "asiakkaalta",
                    ),
                    strict=False,
                )
            ),
            "nuori": dict(
                zip(
                    CASES,
                    ("nuori", "nuoren", "nuorta", "nuorella", "nuorelle", "nuorelta"),
                    strict=False,
                )
            ),
        }[noun]
        hän = {"nom": "hän", "par": "häntä", "ade": "hänellä", "all": "hänelle", "abl": "häneltä"}
        mentioned = False
        named = False
        for s in doc.sentences():
            vals, pii = {}, []
            for f in fields_of(s.tpl):
                if f in vals:
                    continue
                v, kind = self._slot(f, doc, rel_role, rel, nouns, hän, name_mode, named, mentioned)
                if f.startswith(("A_", "K_")):
                    if (
                        v not in nouns.values()
                        and v not in hän.values()
                        and v not in ("klienten", "klientens")
                    ):
                        named = True
                    mentioned = True
                vals[f] = v
                if kind:
                    for token in v.split(" ") if kind.startswith("name_") else [v]:
                        pii.append((kind, token))
            s.vals, s.pii = vals, pii

    def _slot(
        self,
        f: str,
        doc: Doc,
        rel_role: str,
        rel: Person,
        nouns: dict,
        hän: dict,
        name_mode: bool,
        named: bool,
        mentioned: bool,
    ) -> tuple[str, str | None]:
        r = self.r
        c, w = doc.client, doc.worker
        if f.startswith("A_") or f.startswith("K_"):
            case = f[2:]
            use_name = name_mode and (not named or r.random() < 0.4)
            if use_name:
                style = r.choices(["first", "last", "full"], [45, 35, 20])[0]
                if f.startswith("K_"):
                    style = "first" if style == "last" else style
                if style == "full":
                    return f"{c.person.first} {c.person.form('last', case)}", "name_client"
                return c.person.form(style, case), "name_client"
            if f.startswith("K_"):
                return ("klienten" if case == "nom" else "klientens"), None
            if mentioned and case in hän and r.random() < 0.3:
                return hän[case], None
            return nouns[case], None
        if f.startswith("C_"):
            part, case = f[2:].split("_")
            return c.person.form(part, case), "name_client"
        if f.startswith("W_"):
            part, case = f[2:].split("_")
            return w.person.form(part, case), "name_worker"
        if f.startswith("R_role_"):
            case = f[7:]
            if case == "sv":
                return ROLES[rel_role][2], None
            form = ROLES[rel_role][1][case.lower()]
            return (form[0].upper() + form[1:] if case[0].isupper() else form), None
        if f.startswith("R_"):
            return rel.form("first", f[2:]), "name_relative"
        if f == "hetu":
            return c.hetu, "hetu"
        if f == "hetu_plus":
            return c.hetu[:6] + "+" + c.hetu[7:], "hetu"
        if f == "phone":
            return c.phone, "phone"
        if f == "email":
            return c.email, "email"
        if f == "address":
            return c.address, "address"
        if f == "w_phone":
            return w.phone, "phone"
        if f == "w_email":
            return w.email, "email"
        if f == "w_title":
            return w.title, None
        if f == "w_title_Nom":
            return w.title[0].upper() + w.title[1:], None
        if f == "w_title_sv":
            return "socialarbetare", None
        return self._filler(f, doc), None

    def _filler(self, f: str, doc: Doc) -> str:
        if f in ("ika", "ika_oh"):  # the client's real age at the date of the record
            b = doc.client.birth
            age = doc.date.year - b.year - ((doc.date.month, doc.date.day) < (b.month, b.day))
            return str(age if f == "ika" else (age - 1) // 5 * 5)
        if f == "kieli" and doc.client.person.origin:
            return self.r.choice(LANGUAGE_BY_ORIGIN[doc.client.person.origin])
        for t in THEMES:  # fill names are unique across themes
            if f in THEMES[t]["fill"]:
                src = THEMES[t]["fill"][f]
                break
        else:
            src = FILL[f]
        return src(self.r) if callable(src) else self.r.choice(src)

    # -- rendering ----------------------------------------------------------------------------
    def _render(self, doc: Doc) -> None:
        for s in doc.sentences():
            s.text = self._render_sent(s, doc)

    def _render_sent(self, s: Sent, doc: Doc) -> str:
        r = self.r
        pii_fields = {f for f in s.vals if self._is_pii_field(f)}
        marks = {f: f"\x00{i}\x00" for i, f in enumerate(sorted(pii_fields))}
        text = s.tpl.format_map({f: marks.get(f, v) for f, v in s.vals.items()})
        if doc.colloquial and s.kind in ("theme", "pii", "close", "open"):
            rate, no_scandics = doc.noise
            words = text.split(" ")
            for i, word in enumerate(words):
                if "\x00" in word:
                    continue
                if no_scandics:
                    word = word.translate(str.maketrans("äöÄÖ", "aoAO"))
                if rate and r.random() < rate:
                    word = typo(word, r)
                words[i] = word
            text = " ".join(words)
        for f, m in marks.items():
            text = text.replace(m, s.vals[f])
        if not doc.colloquial and text:
            text = text[0].upper() + text[1:]
        return text

    @staticmethod
    def _is_pii_field(f: str) -> bool:
        return (
            f.startswith(("A_", "K_", "C_", "W_"))
            or (f.startswith("R_") and not f.startswith("R_role"))
            or f in ("hetu", "hetu_plus", "phone", "email", "address", "w_phone", "w_email")
        )

    def text_of(self, doc: Doc) -> str:
        if doc.colloquial:
            return self._text_colloquial(doc)
        out = []
        for para in doc.paras:
            lines, cur = [], []
            for s in para:
                if s.kind == "header":
                    if cur:
                        lines.append(" ".join(cur))
                        cur = []
                    lines.append(s.text)
                else:
                    cur.append(s.text)
            if cur:
                lines.append(" ".join(cur))
            out.append("\n".join(lines))
        return "\n\n".join(p for p in out if p)

    def _text_colloquial(self, doc: Doc) -> str:
        # Rendering decisions are stored on the doc once, so re-rendering is stable.
        if not hasattr(doc, "_puhe_text"):
            r = self.r
            lower_all = r.random() < 0.35
            parts = []
            for s in doc.sentences():
                t = s.text
                if (
                    s.kind in ("theme", "pii")
                    and t
                    and not t[0].isupper()
                    and not lower_all
                    and r.random() < 0.4
                ):
                    t = t[0].upper() + t[1:]
                if s.kind == "theme" and not t.endswith((".", "!", "?")):
                    t += r.choice(["", ".", ".", ".", "!", "..", "...", " :(", ",", ","])
                elif s.kind == "pii" and s is not doc.sentences()[-1]:
                    t += r.choice(["", ".", ".", ","])
                parts.append(t)
            sep = "\n" if r.random() < 0.15 else " "
            doc._puhe_text = sep.join(p for p in parts if p).strip().rstrip(",")
        return doc._puhe_text


def typo(word: str, r: random.Random) -> str:
    """One keyboard slip: drop, double or swap a letter (client feedback is typed in a hurry)."""
    core = word.rstrip(".,!?:")
    tail = word[len(core) :]
    if len(core) < 4 or not core.isalpha():
        return word
    i = r.randrange(1, len(core) - 1)
    op = r.randrange(3)
    if op == 0:
        core = core[:i] + core[i + 1 :]
    elif op == 1:
        core = core[:i] + core[i] + core[i:]
    else:
        core = core[: i - 1] + core[i] + core[i - 1] + core[i + 1 :]
    return core + tail


# ---------------------------------------------------------------------------------------------
# Corpus assembly.
# ---------------------------------------------------------------------------------------------
def docs_per_client(r: random.Random, theme: str) -> int:
    if theme in CONCENTRATED:
        return r.randint(4, 9)
    return r.choices([1, 2, 3, 4, 5, 6, 7], weights=[35, 25, 17, 10, 6, 4, 3])[0]


def spread_dates(r: random.Random, k: int, start: dt.date, end: dt.date) -> list[dt.date]:
    span = (end - start).days
    length = min(span, r.randint(60, 600))
    first = start + dt.timedelta(days=r.randint(0, span - length))
    return sorted(first + dt.timedelta(days=r.randint(0, length)) for _ in range(k))


def doc_primary(r: random.Random, client: Client) -> str:
    aff = {t: w for t, w in AFFINITY[client.core].items() if eligible(t, client)}
    if r.random() < 0.8 or not aff:
        return client.core
    return wchoice(r, aff)


def finish(gen: Generator, doc: Doc) -> None:
    """Gold themes from sentence counts: primary = most sentences (ties impossible by design)."""
    counts = Counter(s.theme for s in doc.sentences() if s.theme)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    doc.primary = ranked[0][0]
    doc.themes = [doc.primary, *sorted(t for t in counts if t != doc.primary)]
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        raise AssertionError("tie between themes")


def near_duplicate(gen: Generator, doc: Doc, end: dt.date) -> Doc:
    """Same note a few days later, with a few words or numbers changed (copy-paste notes)."""
    r = gen.r
    new = copy.deepcopy(doc)
    new.dup_of = doc.did
    new.date = min(end, doc.date + dt.timedelta(days=r.randint(1, 21)))
    changed = 0
    candidates = [
        s
        for s in new.sentences()
        if any(
            not gen._is_pii_field(f) and not f.startswith("R_role") and not f.startswith("w_title")
            for f in s.vals
        )
    ]
    r.shuffle(candidates)
    for s in candidates[: r.randint(1, 3)]:
        for f in s.vals:
            if gen._is_pii_field(f) or f.startswith(("R_role", "w_title")):
                continue
            for _ in range(10):
                v = gen._filler(f, new)
                if v != s.vals[f]:
                    s.vals[f] = v
                    changed += 1
                    break
        s.text = gen._render_sent(s, new)
    boilers = [s for s in new.sentences() if s.kind == "boiler" and s.tpl in BOILER_CLOSE]
    if boilers and (changed == 0 or r.random() < 0.5):
        b = r.choice(boilers)
        b.tpl = r.choice([t for t in BOILER_CLOSE if t != b.tpl])
        b.text = b.tpl
    return new


def build(gen: Generator) -> tuple[list[Doc], list[Doc], list[Client]]:
    r = gen.r
    clients: list[Client] = []
    main: list[Doc] = []

    # Finnish clients, theme by theme.
    for theme in MAIN_THEMES:
        allocated = 0
        while allocated < TARGETS[theme]:
            c = gen._client(theme)
            clients.append(c)
            k = docs_per_client(r, theme)
            for date in spread_dates(r, k, MAIN_START, MAIN_END):
                main.append(gen.make_doc(c, date, doc_primary(r, c)))
            allocated += k
    # Finland-Swedish clients: 18 records.
    sv_themes = r.sample(MAIN_THEMES, k=9)
    sv_counts = [3, 2, 2, 2, 2, 2, 2, 2, 1]
    for theme, k in zip(sv_themes, sv_counts, strict=True):
        c = gen._client(theme, lang="sv")
        clients.append(c)
        for date in spread_dates(r, k, MAIN_START, MAIN_END):
            main.append(gen.make_doc(c, date, theme))
    for d in main:
        finish(gen, d)
    assign_ids(main, start=1)
    # ~3 % near-duplicates of professional notes.
    pool = [d for d in main if d.lang == "fi" and not d.colloquial]
    dups = [near_duplicate(gen, d, MAIN_END) for d in r.sample(pool, k=round(0.03 * len(main)))]
    for d in dups:
        finish(gen, d)
    main += dups
    assign_ids(main, start=1)

    # records_more: later period, ~20 % more, existing and new clients, one new theme.
    more: list[Doc] = []
    counts = Counter(d.primary for d in main if d.lang == "fi" and d.dup_of is None)
    by_core = defaultdict(list)
    for c in clients:
        if c.lang == "fi":
            by_core[c.core].append(c)
    for theme in MAIN_THEMES:
        target = round(0.2 * counts[theme])
        allocated = 0
        while allocated < target:
            if r.random() < 0.4 and by_core[theme]:
                c = r.choice(by_core[theme])
                k = r.choice([1, 1, 2])
            else:
                c = gen._client(theme)
                clients.append(c)
                k = max(1, docs_per_client(r, theme) // 2)
            for date in spread_dates(r, k, MORE_START, MORE_END):
                more.append(gen.make_doc(c, date, doc_primary(r, c)))
            allocated += k
    # The new theme: 8 records from 7 clients (above the 5-client small-cell threshold).
    for i in range(7):
        c = gen._client(NEW_THEME)
        clients.append(c)
        for date in spread_dates(r, 2 if i == 0 else 1, MORE_START, MORE_END):
            more.append(gen.make_doc(c, date, NEW_THEME))
    sv_clients = [c for c in clients if c.lang == "sv"]
    for c in r.sample(sv_clients, k=2):
        more.append(gen.make_doc(c, spread_dates(r, 1, MORE_START, MORE_END)[0], c.core))
    for theme in r.sample([t for t in MAIN_THEMES if t not in sv_themes], k=2):
        c = gen._client(theme, lang="sv")
        clients.append(c)
        more.append(gen.make_doc(c, spread_dates(r, 1, MORE_START, MORE_END)[0], theme))
    for d in more:
        finish(gen, d)
    n_main = len(main)
    assign_ids(more, start=n_main + 1)
    pool = [d for d in more if d.lang == "fi" and not d.colloquial and d.primary != NEW_THEME]
    dups = [near_duplicate(gen, d, MORE_END) for d in r.sample(pool, k=5)]
    for d in dups:
        finish(gen, d)
    more += dups
    assign_ids(more, start=n_main + 1)
    return main, more, clients


def add_proposal(gen: Generator, doc: Doc, theme: str) -> None:
    """A proposal paragraph about `theme`, placed before the worker's signature (if any)."""
    r = gen.r
    body = r.choice(PROPOSALS[theme])
    style = r.randrange(3)
    if style == 0:  # the label on a line of its own, the proposal below it
        para = [Sent(r.choice(PROPOSAL_LABEL_LINES), "header"), Sent(body + ".", "proposal", theme)]
    elif style == 1:
        text = r.choice(PROPOSAL_LABELS) + body[0].upper() + body[1:] + "."
        para = [Sent(text, "proposal", theme)]
    else:
        para = [Sent(r.choice(PROPOSAL_VERBS) + body + ".", "proposal", theme)]
    if r.random() < 0.3:  # a worker's name inside the proposal: the redactor must catch it
        para.append(Sent(PROPOSAL_CONTACT, "pii"))
    part = Doc(doc.client, doc.date, doc.service, doc.worker, doc.doc_type, doc.lang, [para], False)
    gen._resolve(part, name_mode=False)
    gen._render(part)
    last = doc.paras[-1] if doc.paras else []
    signed = bool(last) and all(s.kind == "pii" for s in last)
    doc.paras.insert(len(doc.paras) - 1 if signed else len(doc.paras), para)


def proposal_reports(
    gen: Generator, clients: list[Client], start: dt.date, end: dt.date, per_theme: int
) -> list[Doc]:
    """Social reports with a proposal, `per_theme` per main theme from distinct clients."""
    r = gen.r
    docs = []
    for theme in MAIN_THEMES:
        pool = [c for c in clients if c.lang == "fi" and c.core == theme]
        for c in r.sample(pool, k=min(per_theme, len(pool))):
            date = spread_dates(r, 1, start, end)[0]
            doc = gen.make_doc(c, date, theme, doc_type="sosiaalinen_raportti")
            add_proposal(gen, doc, theme)
            finish(gen, doc)
            docs.append(doc)
    return docs


def build_with_proposals(gen: Generator) -> tuple[list[Doc], list[Doc]]:
    """`build`, then social reports with proposals appended to both files with new ids.

    The appended reports come from a random stream of their own, drawn after every existing
    record was built and rendered on the main stream: each existing record stays byte-identical.
    """
    main, more, clients = build(gen)
    for d in sorted(main, key=lambda d: d.did) + sorted(more, key=lambda d: d.did):
        gen.text_of(d)  # client feedback is rendered (and cached) on the main stream, as before
    gen.r = random.Random(PROPOSAL_SEED)
    extra_main = proposal_reports(gen, clients, MAIN_START, MAIN_END, PROPOSAL_REPORTS_MAIN)
    assign_ids(extra_main, start=len(main) + len(more) + 1)
    extra_more = proposal_reports(gen, clients, MORE_START, MORE_END, PROPOSAL_REPORTS_MORE)
    assign_ids(extra_more, start=len(main) + len(more) + len(extra_main) + 1)
    return main + extra_main, more + extra_more


def assign_ids(docs: list[Doc], start: int) -> None:
    """Ids in date order, as a client system would number them."""
    docs.sort(key=lambda d: (d.date, d.client.cid, d.dup_of or "", d.did))
    for i, d in enumerate(docs, start=start):
        d.did = f"D{i:05d}"


# ---------------------------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------------------------
RECORD_COLUMNS = [
    "id",
    "client_id",
    "client_name",
    "worker_name",
    "date",
    "service",
    "municipality",
    "doc_type",
    "text",
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def pii_rows(gen: Generator, doc: Doc, text: str) -> list[tuple[str, str, str]]:
    rows = {
        (doc.did, "client_name", doc.client.person.full),
        (doc.did, "worker_name", doc.worker.person.full),
    }
    for s in doc.sentences():
        for kind, value in s.pii:
            if value not in text:
                raise AssertionError(f"{doc.did}: planted {kind} {value!r} not in text")
            rows.add((doc.did, kind, value))
    return sorted(rows)


def write_set(gen: Generator, docs: list[Doc], out: Path, suffix: str) -> dict:
    docs = sorted(docs, key=lambda d: d.did)
    recs, gold, pii = [], [], []
    for d in docs:
        text = gen.text_of(d)
        recs.append(
            [
                d.did,
                d.client.cid,
                d.client.person.full,
                d.worker.person.full,
                d.date.isoformat(),
                d.service,
                d.client.municipality,
                d.doc_type,
                text,
            ]
        )
        gold.append([d.did, d.primary, ";".join(d.themes)])
        pii += pii_rows(gen, d, text)
    write_csv(out / f"records{suffix}.csv", RECORD_COLUMNS, recs)
    write_csv(out / f"gold{suffix}.csv", ["id", "theme", "themes"], gold)
    write_csv(out / f"planted_pii{suffix}.csv", ["id", "kind", "value"], [list(p) for p in pii])
    return {"docs": docs, "texts": {r[0]: r[-1] for r in recs}, "pii": pii}


def check_names_not_in_templates() -> None:
    """No name form may occur in fixed template text, so a leak test can grep for names."""
    literal = " ".join(
        t
        for th in THEMES.values()
        for pool in ("pro", "plan", "puhe", "sv", "sv_puhe")
        for t in th[pool]
    )
    literal += " ".join(v for th in THEMES.values() for vs in th["fill"].values() for v in vs)
    literal += " ".join(
        BOILER_INTRO
        + BOILER_CLOSE
        + BOILER_AKTIV_INTRO
        + BOILER_AKTIV_CLOSE
        + PUHE_OPEN
        + PUHE_CLOSE
        + SV_INTRO
        + SV_CLOSE
        + TOWN_STREETS
        + RURAL_STREETS
    )
    literal += " ".join(
        t for table in (PII_PRO, PII_PUHE, PII_SV) for ts in table.values() for t in ts
    )
    literal += " ".join(h for hs in HEADERS.values() for group in hs for h in group)
    literal += " ".join(p for ps in PROPOSALS.values() for p in ps)
    literal += " ".join(PROPOSAL_LABEL_LINES + PROPOSAL_LABELS + PROPOSAL_VERBS)
    literal = re.sub(r"\{[^}]*\}", " ", literal)
    words = set(re.findall(r"\w+", literal.lower()))
    forms = {f.lower() for _, _, ff in FIRST.values() for f in ff}
    forms |= {f.lower() for _, ff in LAST.values() for f in ff}
    forms |= {n.lower() for n in list(SV_FIRST) + SV_LAST}
    clash = sorted(words & forms)
    if clash:
        raise AssertionError(f"name forms occur in template text: {clash}")


def stats(main: dict, more: dict) -> str:
    out = []
    for label, s in (("records.csv", main), ("records_more.csv", more)):
        docs = s["docs"]
        n = len(docs)
        out.append(
            f"== {label}: {n} records, {len({d.client.cid for d in docs})} clients, "
            f"{sum(len(t.encode()) for t in s['texts'].values()) / 1e6:.2f} MB text"
        )
        prim = Counter(d.primary for d in docs)
        anyt = Counter(t for d in docs for t in d.themes)
        clients = defaultdict(set)
        for d in docs:
            clients[d.primary].add(d.client.cid)
        out.append("theme: primary / any / clients(primary)")
        for t in sorted(prim, key=lambda t: -prim[t]):
            out.append(f"  {t:28s} {prim[t]:4d} {anyt[t]:4d} {len(clients[t]):4d}")
        out.append(
            "doc_type: "
            + ", ".join(f"{k} {v}" for k, v in sorted(Counter(d.doc_type for d in docs).items()))
        )
        out.append(
            "municipality: "
            + ", ".join(
                f"{k} {v}" for k, v in Counter(d.client.municipality for d in docs).most_common()
            )
        )
        out.append(
            "service: "
            + ", ".join(f"{k} {v}" for k, v in Counter(d.service for d in docs).most_common())
        )
        with_pii = {p[0] for p in s["pii"] if p[1] not in ("client_name", "worker_name")}
        out.append(f"records with planted PII in text: {len(with_pii)} ({len(with_pii) / n:.0%})")
        out.append(
            "PII kinds: "
            + ", ".join(f"{k} {v}" for k, v in sorted(Counter(p[1] for p in s["pii"]).items()))
        )
        out.append(
            f"languages: {dict(Counter(d.lang for d in docs))}; near-duplicates: "
            f"{sum(1 for d in docs if d.dup_of)}; multi-theme: "
            f"{sum(1 for d in docs if len(d.themes) > 1)}"
        )
        distinct = defaultdict(set)
        for d in docs:
            for x in d.sentences():
                if x.theme:
                    distinct[x.theme].add(x.text)
        out.append(
            "distinct theme sentences: "
            + ", ".join(f"{t} {len(v)}" for t, v in sorted(distinct.items()))
        )
        score = nmi([d.doc_type for d in docs], [d.primary for d in docs])
        out.append(f"NMI(doc_type, primary theme) = {score:.3f}")
    return "\n".join(out)


def nmi(a: list[str], b: list[str]) -> float:
    """Normalised mutual information (arithmetic mean), to show register does not give theme."""
    import math

    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b, strict=False))
    mi = sum(v / n * math.log(v * n / (ca[x] * cb[y])) for (x, y), v in cab.items())
    ha = -sum(v / n * math.log(v / n) for v in ca.values())
    hb = -sum(v / n * math.log(v / n) for v in cb.values())
    return 2 * mi / (ha + hb) if ha + hb else 0.0


README = """# Synthetic sample records

Everything in this folder is **synthetic**, written by `generate.py` for ilmio's demo run,
tests and benchmarks. No record describes a real person: names are common Finnish (and a few
Swedish and immigrant) names combined at random, henkilötunnus values use the individual
numbers 900–999 reserved for test identities (with valid check characters), e-mail addresses
are in the `example.fi` / `example.com` domains, and phone numbers and street addresses are
random.

## Files

- `records.csv`: {n_main} records, the pipeline's input, with columns `id, client_id,
  client_name, worker_name, date, service, municipality, doc_type, text` ({clients_main}
  clients, 7 municipalities, dates {main_start} to {main_end}).
- `gold.csv`: `id, theme, themes`, the primary gold theme and all gold themes (`;`-separated,
  primary first). For tests and benchmarks only; the pipeline never reads it.
- `planted_pii.csv`: `id, kind, value`, every identifier planted in a record's text exactly as
  written: `name_client`, `name_worker`, `name_relative` (one row per name token in its case
  form, e.g. `Virtaselle`, `Matin`), `hetu`, `phone`, `email`, `address`; plus the structured
  fields of every record (`client_name`, `worker_name`). For leak tests.
- `records_more.csv`, `gold_more.csv`, `planted_pii_more.csv`: {n_more} further records
  ({more_start} to {more_end}, ids continue) from the same generator, from existing and new
  clients, including one theme absent from the main file (`{new_theme}`: {n_new} records from
  {c_new} clients, enough to pass the 5-client small-cell rule). For testing that a rerun on
  grown data keeps themes stable and flags the new one.
- Social reports with proposals for action: the last {n_prop_main} records of `records.csv`
  (`{prop_main_first}`…) and the last {n_prop_more} of `records_more.csv` are
  `sosiaalinen_raportti` records, each with one proposal in one of the forms social workers
  write (`Ehdotus:`, `Toimenpide-ehdotus:` or `Ehdotukset:` as a label, or a sentence opening
  with `Ehdotan, että` / `Ehdotamme, että` / `Esitän, että`), {per_theme} per theme from
  distinct clients; some name the worker to contact (planted, for the leak tests). They were
  appended with new ids from a random stream of their own, so every earlier record is
  byte-identical to the file before they were added.
- `generate.py`: the generator (standard library only).

What the records contain: long professional notes (`palvelutarpeen_arviointi`,
`sosiaalinen_raportti`: 4–12 sentences in paragraphs, usually 2–3 themes, the primary theme has
the most sentences), activation plans (`aktivointisuunnitelma`), and short colloquial client
feedback (`asiakaspalaute`: puhekieli, typos, missing capitals). Shared boilerplate phrases
appear regardless of theme; {n_sv} records are in Swedish; about 3 % are near-duplicates of
another note; about {pii_share} of records carry planted personal data in the text. Document
type is drawn independently of theme (NMI(doc_type, theme) = {nmi_dt:.3f}).

## Regenerate

```
.venv/bin/python data/sample/generate.py            # rewrites the files here
.venv/bin/python data/sample/generate.py --stats    # and prints counts
```

The output is deterministic (seed {seed}): running it twice gives byte-identical files.

## Themes (records with this primary theme / with this theme at all)

| theme | Finnish name | records.csv | records_more.csv |
|---|---|---|---|
{theme_rows}
"""


def write_readme(out: Path, main: dict, more: dict) -> None:
    md, mo = main["docs"], more["docs"]
    pm, am = Counter(d.primary for d in md), Counter(t for d in md for t in d.themes)
    po, ao = Counter(d.primary for d in mo), Counter(t for d in mo for t in d.themes)
    rows = "\n".join(
        f"| `{t}` | {THEMES[t]['name']} | {pm[t]} / {am[t]} | {po[t]} / {ao[t]} |" for t in THEMES
    )
    pii_docs = {p[0] for p in main["pii"] if p[1] not in ("client_name", "worker_name")}
    new_docs = [d for d in mo if d.primary == NEW_THEME]
    prop_main = [d for d in md if any(x.kind == "proposal" for x in d.sentences())]
    prop_more = [d for d in mo if any(x.kind == "proposal" for x in d.sentences())]
    text = README.format(
        n_main=len(md),
        n_more=len(mo),
        clients_main=len({d.client.cid for d in md}),
        main_start=min(d.date for d in md),
        main_end=max(d.date for d in md),
        more_start=min(d.date for d in mo),
        more_end=max(d.date for d in mo),
        new_theme=NEW_THEME,
        n_new=len(new_docs),
        c_new=len({d.client.cid for d in new_docs}),
        n_sv=sum(1 for d in md if d.lang == "sv"),
        pii_share=f"{len(pii_docs) / len(md):.0%}",
        nmi_dt=nmi([d.doc_type for d in md], [d.primary for d in md]),
        seed=SEED,
        theme_rows=rows,
        n_prop_main=len(prop_main),
        n_prop_more=len(prop_more),
        prop_main_first=min(d.did for d in prop_main),
        per_theme=PROPOSAL_REPORTS_MAIN,
    )
    (out / "README.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--stats", action="store_true", help="print counts per theme, type, etc.")
    args = ap.parse_args(argv)
    check_names_not_in_templates()
    gen = Generator(SEED)
    main_docs, more_docs = build_with_proposals(gen)
    args.out.mkdir(parents=True, exist_ok=True)
    m = write_set(gen, main_docs, args.out, "")
    o = write_set(gen, more_docs, args.out, "_more")
    write_readme(args.out, m, o)
    if args.stats:
        print(stats(m, o))
    else:
        print(f"wrote {len(main_docs)} + {len(more_docs)} records to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
