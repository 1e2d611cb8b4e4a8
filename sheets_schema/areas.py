"""Areas: Belgian postcodes with a centre point, and which areas neighbour.

Read from bpost's postcode list as geocoded by spatie/belgian-cities-geocoded
(see data/README.md). Matching uses neighbours() to suggest a volunteer from
the next district when nobody in the requester's own postcode fits.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .fields import LANGUAGES, Labels

CSV_PATH = Path(__file__).parent / "data" / "belgian-cities-geocoded.csv"
# The province and region of each postcode range, in nl/en/fr: see data/README.md.
PROVINCES_PATH = Path(__file__).parent / "data" / "provinces.csv"

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


@dataclass(frozen=True)
class Area:
    """One postcode: its local name, centre point, province and names per language."""

    postcode: str
    name: str  # in the local language, as bpost writes it
    lat: float
    lng: float
    province: Labels  # per language, from provinces.csv (bpost's ranges)
    region: Labels
    labels: Labels
    places: tuple[str, ...] = field(default=())  # every (sub-)municipality under this postcode


# The city's own districts, named as its residents and newcomers know them.
# The source spells "Kessel Lo" without the hyphen the city uses.
LEUVEN_POSTCODES: tuple[str, ...] = ("3000", "3001", "3010", "3012", "3018")

# Names that differ per language. Everywhere else the local name serves all
# three languages; add a row here when the desk serves a new city.
_NAMES: dict[str, Labels] = {
    "3000": {"nl": "Leuven", "en": "Leuven", "fr": "Louvain"},
    "3001": {"nl": "Heverlee", "en": "Heverlee", "fr": "Heverlee"},
    "3010": {"nl": "Kessel-Lo", "en": "Kessel-Lo", "fr": "Kessel-Lo"},
    "3012": {"nl": "Wilsele", "en": "Wilsele", "fr": "Wilsele"},
    "3018": {"nl": "Wijgmaal", "en": "Wijgmaal", "fr": "Wijgmaal"},
    "1000": {"nl": "Brussel", "en": "Brussels", "fr": "Bruxelles"},
    "2000": {"nl": "Antwerpen", "en": "Antwerp", "fr": "Anvers"},
    "8000": {"nl": "Brugge", "en": "Bruges", "fr": "Bruges"},
    "9000": {"nl": "Gent", "en": "Ghent", "fr": "Gand"},
    "4000": {"nl": "Luik", "en": "Liège", "fr": "Liège"},
    "5000": {"nl": "Namen", "en": "Namur", "fr": "Namur"},
    "7000": {"nl": "Bergen", "en": "Mons", "fr": "Mons"},
    "2800": {"nl": "Mechelen", "en": "Mechelen", "fr": "Malines"},
    "1300": {"nl": "Waver", "en": "Wavre", "fr": "Wavre"},
}

# "LiÈge", "HÉlÉcine": the source has capital accented letters mid-word.
_CAPITAL_MID_WORD = re.compile(r"(?<=[a-zà-ÿ])([À-Ý])")


def _clean_name(name: str) -> str:
    name = _CAPITAL_MID_WORD.sub(lambda m: m.group(1).lower(), name.strip())
    return name.replace("Kessel Lo", "Kessel-Lo")


def _main_row(postcode: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """The row that names the postcode: a known name if we have one, else the first.

    The source marks no main municipality and sorts rows alphabetically, so
    the first row is a guess (3700 gives "'s Herenelderen", not Tongeren);
    for the cities in _NAMES we pick the row carrying the city's name.
    """
    known = {_clean_name(n) for n in _NAMES.get(postcode, {}).values()}
    for row in rows:
        if _clean_name(row["name"]) in known:
            return row
    return rows[0]


@cache
def _province_table() -> tuple[tuple[int, int, Labels, Labels], ...]:
    with PROVINCES_PATH.open(newline="", encoding="utf-8") as handle:
        return tuple((int(row["first"]), int(row["last"]),
                      {language: row[f"province_{language}"] for language in LANGUAGES},
                      {language: row[f"region_{language}"] for language in LANGUAGES})
                     for row in csv.DictReader(handle))


def _province_of(postcode: str) -> tuple[Labels, Labels]:
    """The province and region of a postcode, by bpost's ranges (empty for one outside them)."""
    digits = re.match(r"\d{4}", postcode)  # the source has a stray "2870,2890"
    number = int(digits.group()) if digits else -1
    for first, last, province, region in _province_table():
        if first <= number <= last:
            return province, region
    empty: Labels = {language: "" for language in LANGUAGES}
    return empty, empty


@cache
def load_areas() -> tuple[Area, ...]:
    """One Area per postcode, in postcode order; read once and cached."""
    rows_by_postcode: dict[str, list[dict[str, str]]] = {}
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows_by_postcode.setdefault(row["postal"].strip(), []).append(row)
    areas = []
    for postcode in sorted(rows_by_postcode):
        rows = rows_by_postcode[postcode]
        main = _main_row(postcode, rows)
        name = _clean_name(main["name"])
        # Centre = mean of all rows' points: a postcode covering several
        # villages is better described by their middle than by any one of them,
        # and at Belgian scale a plain mean of degrees is accurate enough.
        lat = sum(float(r["lat"]) for r in rows) / len(rows)
        lng = sum(float(r["lng"]) for r in rows) / len(rows)
        labels = dict(_NAMES.get(postcode) or {language: name for language in LANGUAGES})
        areas.append(Area(
            postcode=postcode,
            name=name,
            lat=round(lat, 6),
            lng=round(lng, 6),
            province=_province_of(postcode)[0],
            region=_province_of(postcode)[1],
            labels=labels,
            places=tuple(_clean_name(r["name"]) for r in rows),
        ))
    return tuple(areas)


@cache
def _by_postcode() -> dict[str, Area]:
    return {a.postcode: a for a in load_areas()}


def area(postcode: str) -> Area:
    """The area with this postcode; KeyError names the unknown postcode."""
    try:
        return _by_postcode()[str(postcode).strip()]
    except KeyError:
        raise KeyError(f"unknown postcode {postcode!r}") from None


def distance_km(a: str, b: str) -> float:
    """Great-circle distance between the centres of two postcodes, in km.

    Haversine formula, as given by R. W. Sinnott, "Virtues of the Haversine",
    Sky & Telescope 68 (2), 1984, p. 159; also
    https://www.movable-type.co.uk/scripts/latlong.html
    """
    first, second = area(a), area(b)
    lat1, lat2 = math.radians(first.lat), math.radians(second.lat)
    dlat = lat2 - lat1
    dlng = math.radians(second.lng - first.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def neighbours(postcode: str, km: float = 5.0) -> tuple[str, ...]:
    """Other postcodes whose centre lies within km of this one's, nearest first."""
    origin = area(postcode)
    near = []
    for other in load_areas():
        if other.postcode == origin.postcode:
            continue
        # Cheap box test first: 1 degree of latitude is ~111 km everywhere.
        if abs(other.lat - origin.lat) * 111.0 > km:
            continue
        d = distance_km(origin.postcode, other.postcode)
        if d <= km:
            near.append((d, other.postcode))
    return tuple(p for _, p in sorted(near))
