"""Realistic intake data with the noise of March 2020, and the truth about who is who.

Volunteers sign up once per task tile, fill in both the Dutch and the English
form, or call the centre after the form; names get typos, swapped first and
last names and capitals; phones come as +32, 0032 or 04..; households share a
landline and an address; namesakes share only a name. Requesters ask on the
web and call about the same need, and some ask again for a new need later.

`generate()` returns intake rows as Google Forms or the website write them
(labels in the form's language) and, per submission id, the person (offers)
or need (requests) it truly belongs to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sheets_schema.answers import bool_text, list_text
from sheets_schema.choices import AVAILABILITY_CHOICES, CHANNEL_CHOICES, LANGUAGE_CHOICES, TRANSPORT_CHOICES
from sheets_schema.tabs import INTAKE_TABS
from sheets_schema.tasks import TASK_CHOICES, TASKS
from sheets_schema.workbook import Workbook

FIRST_NAMES = (
    "Jan", "Piet", "Luc", "Marc", "Koen", "Bart", "Tom", "Wim", "Geert", "Dirk", "Stijn", "Pieter", "Jef",
    "Maarten", "Wouter", "Jens", "Thomas", "Lucas", "Arthur", "Louis", "Noah", "Victor", "Jules", "Mohamed",
    "Youssef", "Ahmed", "Mehmet", "Emre", "Pierre", "Jean", "Michel", "Olivier", "Nicolas", "Tomasz",
    "Marie", "An", "Els", "Sofie", "Sarah", "Lotte", "Julie", "Emma", "Louise", "Elise", "Hanne", "Lien",
    "Katrien", "Griet", "Annelies", "Nathalie", "Veerle", "Inge", "Fatima", "Amina", "Salma", "Zeynep",
    "Elif", "Camille", "Chloé", "Léa", "Anaïs", "Agnieszka", "Ioana", "Maria", "Ingrid", "Rita", "Jeanne",
    "Godelieve", "Mariette", "Roger", "Jozef", "Frans", "Paula", "Simonne", "Bavo", "Wannes", "Febe", "Nore",
)
SURNAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Lambert", "Dupont", "Van den Broeck", "Vermeulen", "Hermans", "Aerts", "Pauwels", "Van Damme",
    "De Clercq", "Verstraete", "Vandenberghe", "Coppens", "Michiels", "Smets", "Leclercq", "Desmet", "Martens",
    "Van de Velde", "Geerts", "El Amrani", "Benali", "Yilmaz", "Kaya", "Nowak", "Kowalski", "Popescu",
    "Lemmens", "Verhoeven", "Van Hoof", "Stevens", "Bogaerts", "Thys", "Declercq", "Vandeputte", "Cools",
    "Wuyts", "Verbeke", "Mommaerts", "Struyf", "Schepers", "Boonen", "Sels", "Ceulemans", "Daems", "Vos",
    "Moens", "Van Rompuy", "Laenen", "Vranckx", "Dewit", "Put", "Lenaerts", "Huybrechts", "Cuypers",
)
STREETS = (
    "Naamsestraat", "Tiensestraat", "Diestsestraat", "Brusselsestraat", "Mechelsestraat", "Parijsstraat",
    "Kapucijnenvoer", "Tervuursevest", "Naamsevest", "Blijde-Inkomststraat", "Vital Decosterstraat",
    "Kardinaal Mercierlaan", "Celestijnenlaan", "Waversebaan", "Geldenaaksebaan", "Tiensesteenweg",
    "Diestsesteenweg", "Martelarenlaan", "Kesselsekiezel", "Aarschotsesteenweg", "Wilselsesteenweg",
    "Wijgmaalsesteenweg", "Ridderstraat", "Minderbroedersstraat", "Sint-Jansbergsesteenweg", "Kolonel Begaultlaan",
)
POSTCODES = ("3000", "3000", "3000", "3001", "3001", "3010", "3010", "3012", "3018")
OTHER_POSTCODES = ("3020", "3050", "3060", "3070", "3080", "3110", "1000", "2000", "9000")
DOMAINS = ("gmail.com", "telenet.be", "hotmail.com", "skynet.be", "outlook.com", "kuleuven.be", "proximus.be")
FORM_LANGUAGES = ("nl",) * 14 + ("en",) * 4 + ("fr",) * 2
START = datetime(2020, 3, 16, 8, 0, 0)


@dataclass
class Person:
    key: str
    first: str
    last: str
    mobile: str = ""  # digits as 04xxxxxxxx
    landline: str = ""
    email: str = ""
    street: str = ""
    postcode: str = ""
    languages: tuple[str, ...] = ("nl",)
    form_language: str = "nl"


@dataclass
class Generated:
    """Intake rows per intake tab id (column id -> cell text), and the truth per submission id."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    truth: dict[str, str] = field(default_factory=dict)  # submission id -> person key (offers) / need key (requests)

    def add(self, tab_id: str, row: dict[str, str], truth: str) -> None:
        self.rows.setdefault(tab_id, []).append(row)
        self.truth[row["submission_id"]] = truth

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


class _Maker:
    def __init__(self, seed: int, id_prefix: str) -> None:
        self.rnd = random.Random(seed)
        self.id_prefix = id_prefix
        self.numbers: set[str] = set()
        self.emails: set[str] = set()
        self.submissions = 0

    # -- people ------------------------------------------------------------
    def number(self, prefix: str) -> str:
        while True:
            digits = prefix + "".join(self.rnd.choice("0123456789") for _ in range(10 - len(prefix)))
            if prefix == "016":
                digits = digits[:9]
            if digits not in self.numbers:
                self.numbers.add(digits)
                return digits

    def email_for(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("é", "e").replace("ï", "i")
        while True:
            email = f"{base}{self.rnd.randint(1, 999)}@{self.rnd.choice(DOMAINS)}"
            if email not in self.emails:
                self.emails.add(email)
                return email

    def person(self, key: str, *, first: str | None = None, last: str | None = None,
               older: bool = False) -> Person:
        rnd = self.rnd
        person = Person(key, first or rnd.choice(FIRST_NAMES), last or rnd.choice(SURNAMES))
        person.mobile = self.number("04" + rnd.choice("6789")) if rnd.random() < (0.6 if older else 0.92) else ""
        person.landline = self.number("016") if rnd.random() < (0.6 if older else 0.2) else ""
        if not person.mobile and not person.landline:
            person.mobile = self.number("047")
        person.email = self.email_for(person.first, person.last) if rnd.random() < (0.3 if older else 0.75) else ""
        person.street = f"{rnd.choice(STREETS)} {rnd.randint(1, 250)}" if rnd.random() < 0.85 else ""
        person.postcode = rnd.choice(POSTCODES) if rnd.random() < 0.9 else rnd.choice(OTHER_POSTCODES)
        person.form_language = rnd.choice(FORM_LANGUAGES)
        extra = rnd.sample([c.code for c in LANGUAGE_CHOICES[1:8]], rnd.choice((0, 0, 1, 1, 2)))
        person.languages = tuple(dict.fromkeys([person.form_language if person.form_language != "nl" else "nl",
                                                *(["nl"] if rnd.random() < 0.8 else []), *extra]))
        return person

    # -- noise -------------------------------------------------------------
    def typo(self, word: str) -> str:
        if len(word) < 3:
            return word
        i = self.rnd.randrange(1, len(word) - 1)
        kind = self.rnd.choice(("swap", "drop", "double", "replace"))
        if kind == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if kind == "drop":
            return word[:i] + word[i + 1:]
        if kind == "double":
            return word[:i] + word[i] + word[i:]
        return word[:i] + self.rnd.choice("aeioulnrst") + word[i + 1:]

    def name(self, person: Person, noisy: bool) -> str:
        first, last = person.first, person.last
        if noisy and self.rnd.random() < 0.25:
            words = last.split(" ")
            longest = max(range(len(words)), key=lambda n: len(words[n]))
            words[longest] = self.typo(words[longest])
            last = " ".join(words)
        elif noisy and self.rnd.random() < 0.1:
            first = self.typo(first)
        text = f"{last} {first}" if noisy and self.rnd.random() < 0.15 else f"{first} {last}"
        roll = self.rnd.random()
        if noisy and roll < 0.1:
            return text.upper()
        if noisy and roll < 0.2:
            return text.lower()
        return f"  {text} " if self.rnd.random() < 0.05 else text

    def phone(self, digits: str) -> str:
        if not digits:
            return ""
        rest = digits[1:]
        styles = (
            lambda: digits,
            lambda: f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}" if len(digits) == 10
            else f"{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}",
            lambda: f"+32 {rest}",
            lambda: f"+32{rest}",
            lambda: f"0032 {rest}",
            lambda: f"{digits[:4]}/{digits[4:6]}.{digits[6:8]}.{digits[8:]}" if len(digits) == 10 else digits,
            lambda: f"+32 (0){rest}",
        )
        return self.rnd.choice(styles)()

    def email(self, person: Person) -> str:
        if not person.email:
            return ""
        roll = self.rnd.random()
        if roll < 0.1:
            return person.email.capitalize()
        if roll < 0.15:
            return f" {person.email.upper()} "
        return person.email

    def timestamp(self, moment: datetime, channel: str) -> str:
        if channel == "google_form":
            return moment.strftime("%d/%m/%Y %H:%M:%S")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00"

    def submission_id(self) -> str:
        self.submissions += 1
        return f"{self.id_prefix}-{self.submissions:07d}-{self.rnd.randrange(16**6):06x}"

    def contact(self, person: Person, noisy: bool, phone_call: bool) -> dict[str, str]:
        rnd = self.rnd
        phones = [p for p in (person.mobile, person.landline) if p]
        phone = person.mobile or person.landline
        if noisy and len(phones) == 2 and rnd.random() < 0.3:
            phone = person.landline if phone == person.mobile else person.mobile
        email = self.email(person)
        if noisy and phone_call and rnd.random() < 0.6:
            email = ""  # agents often note only the number they are called from
        if noisy and email and phone and rnd.random() < 0.1:
            phone = ""
        elif noisy and email and phone and rnd.random() < 0.1:
            email = ""
        street = person.street
        if noisy and street and rnd.random() < 0.1:
            street = street.replace("straat", "str.")
        return {"full_name": self.name(person, noisy), "phone": self.phone(phone), "email": email,
                "street": street, "postcode": person.postcode}


def _labels(choices, codes, language: str) -> str:
    return list_text(choices, [c.code for c in choices if c.code in codes], language)


def generate(volunteers: int, requests: int, seed: int = 2020, id_prefix: str = "S") -> Generated:
    """About `volunteers` volunteer people and `requests` needs, with their noisy submissions."""
    maker = _Maker(seed, id_prefix)
    rnd = maker.rnd
    out = Generated()
    people: list[Person] = []
    while len(people) < volunteers:
        roll = rnd.random()
        if roll < 0.04:  # a household: one landline, one address, different first names
            head = maker.person(f"P{len(people)}")
            head.landline = head.landline or maker.number("016")
            firsts = rnd.sample([n for n in FIRST_NAMES if n[0] != head.first[0]], rnd.choice((1, 2)))
            people.append(head)
            for first in firsts:
                member = maker.person(f"P{len(people)}", first=first, last=head.last)
                member.landline, member.street, member.postcode = head.landline, head.street, head.postcode
                if rnd.random() < 0.5:
                    member.mobile = ""
                people.append(member)
        elif roll < 0.06:  # namesakes: the same name, nothing else in common
            first = maker.person(f"P{len(people)}")
            people.append(first)
            people.append(maker.person(f"P{len(people)}", first=first.first, last=first.last))
        else:
            people.append(maker.person(f"P{len(people)}"))
    people = people[:volunteers]

    for person in people:
        tasks = rnd.sample([t.code for t in TASKS], rnd.choice((1, 1, 2, 2, 3, 4)))
        transport = rnd.sample([c.code for c in TRANSPORT_CHOICES], rnd.choice((1, 1, 2)))
        moment = START + timedelta(minutes=rnd.randrange(60 * 24 * 14))
        roll = rnd.random()
        forms: list[tuple[str, list[str], str, bool]] = []  # language, tasks, channel, noisy
        channel = rnd.choice(("web", "google_form", "website"))
        if roll < 0.15 and len(tasks) > 1:  # once per task tile
            forms = [(person.form_language, [task], channel, n > 0) for n, task in enumerate(tasks)]
        elif roll < 0.23:  # both the Dutch and the English form
            forms = [("nl", tasks, channel, False), ("en", tasks, channel, True)]
        elif roll < 0.30:  # called the centre after the form
            forms = [(person.form_language, tasks, channel, False), ("nl", tasks[:1], "phone", True)]
        else:
            forms = [(person.form_language, tasks, channel, False)]
        for language, asked, via, noisy in forms:
            moment += timedelta(minutes=rnd.randrange(2, 60 * 30))
            row = {"timestamp": maker.timestamp(moment, via), "submission_id": maker.submission_id(),
                   "channel": _channel(via, language),
                   **maker.contact(person, noisy, via == "phone"),
                   "languages": _labels(LANGUAGE_CHOICES, person.languages, language),
                   "tasks": _labels(TASK_CHOICES, asked, language),
                   "transport": _labels(TRANSPORT_CHOICES, transport, language),
                   "availability": _labels(AVAILABILITY_CHOICES, rnd.sample(
                       [c.code for c in AVAILABILITY_CHOICES], 2), language),
                   "profile_ok": bool_text(rnd.random() < 0.8, language),
                   "consent_privacy": bool_text(True, language),
                   "consent_partners": bool_text(rnd.random() < 0.6, language),
                   "details": rnd.choice(("", "", "Ik heb een rijbewijs.", "Student, veel tijd.", "=1+1"))}
            out.add(f"intake_offer_{language}", row, person.key)

    requesters: list[Person] = []
    while len(requesters) < max(1, requests * 3 // 4):
        person = maker.person(f"Q{len(requesters)}", older=True)
        requesters.append(person)
        if rnd.random() < 0.05:  # an elderly couple, each asking for themselves
            partner = maker.person(f"Q{len(requesters)}", first=rnd.choice(
                [n for n in FIRST_NAMES if n[0] != person.first[0]]), last=person.last, older=True)
            partner.landline, partner.street, partner.postcode = person.landline or maker.number("016"), \
                person.street, person.postcode
            person.landline = partner.landline
            partner.mobile = partner.mobile if rnd.random() < 0.3 else ""
            requesters.append(partner)
    need = 0
    needs_of: dict[str, list[tuple[datetime, set[str]]]] = {}
    while need < requests:
        person = rnd.choice(requesters)
        tasks = rnd.sample(["groceries", "pharmacy", "dog_walking", "post_office", "phone_chat"], rnd.choice((1, 1, 2)))
        moment = START + timedelta(days=(need + 1) * 14 // max(requests, 1), minutes=rnd.randrange(600))
        earlier = needs_of.setdefault(person.key, [])
        if any(abs(moment - when) < timedelta(days=7) and asked & set(tasks) for when, asked in earlier):
            continue  # the same task again so soon is the same need: another requester asks instead
        earlier.append((moment, set(tasks)))
        need += 1
        forms = [(person.form_language, tasks, rnd.choice(("web", "google_form", "website")), False)]
        roll = rnd.random()
        if roll < 0.12:  # the web form, then a phone call about the same need
            forms.append(("nl", tasks[:1], "phone", True))
        elif roll < 0.16:
            forms.append(("en" if person.form_language == "nl" else "nl", tasks, "web", True))
        for language, asked, via, noisy in forms:
            moment += timedelta(minutes=rnd.randrange(5, 60 * 20))
            row = {"timestamp": maker.timestamp(moment, via), "submission_id": maker.submission_id(),
                   "channel": _channel(via, language), **maker.contact(person, noisy, via == "phone"),
                   "languages": _labels(LANGUAGE_CHOICES, person.languages, language),
                   "tasks": _labels(TASK_CHOICES, asked, language),
                   "availability": _labels(AVAILABILITY_CHOICES, ["flexible"], language),
                   "consent_privacy": bool_text(True, language),
                   "details": rnd.choice(("", "Brood en melk.", "Kleine hond.", "@SUM(A1)"))}
            out.add(f"intake_request_{language}", row, f"N{need}")
    return out


def _channel(code: str, language: str) -> str:
    return next(c.labels[language] for c in CHANNEL_CHOICES if c.code == code)


def write_intake(workbook: Workbook, generated: Generated) -> None:
    """Append the generated rows to their intake tabs, one `values:append` per tab."""
    sheets = workbook.read(INTAKE_TABS)
    for tab_id, rows in generated.rows.items():
        workbook.append(sheets[tab_id], rows)
