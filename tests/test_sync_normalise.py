"""Pure pieces of the sync: normalising answers, judging pairs, blocking."""

from __future__ import annotations

from datetime import datetime

import pytest

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import OFFER_FORM
from sheets_schema.tabs import intake_tab
from sync.duplicates import Candidate, candidate_pairs, compare_names, compare_people
from sync.normalise import display_name, normalise_phone, normalise_record, parse_time

from .sync_helpers import submission


@pytest.mark.parametrize("typed", ["0470 12 34 56", "+32 470 12 34 56", "0032 470 12 34 56", "0470/12.34.56",
                                   "+32 (0)470 12 34 56", "470123456"])
def test_every_belgian_way_of_writing_a_mobile_is_one_number(typed):
    assert normalise_phone(typed) == ("+32470123456", "mobile", "0470 12 34 56")


def test_a_landline_and_a_wrong_number():
    assert normalise_phone("016 22 33 44") == ("+3216223344", "fixed", "016 22 33 44")
    assert normalise_phone(" 12 ") == ("12", "", "12")


@pytest.mark.parametrize("typed, shown", [("JAN VAN DEN BROECK", "Jan van den Broeck"), ("  sofie   dupré "
                                                                                         "", "Sofie Dupré"),
                                          ("Anne-Marie DeSmet", "Anne-Marie DeSmet"), ("ANNE-MARIE", "Anne-Marie")])
def test_names_are_tidied_but_accents_and_mixed_case_kept(typed, shown):
    assert display_name(typed) == shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_offer_in_any_language_reads_as_the_same_codes(language):
    row = submission("S-1", "Jan Peeters", phone="0470 12 34 56", email=" Jan@X.be ", tasks=("groceries", "letter"),
                     language=language, languages=("nl", "ar"), when="20/03/2020 14:03:22", postcode="3010 Kessel-Lo")
    s = normalise_record(intake_tab(OFFER_FORM, language), row, "nl")
    assert (s.submission_id, s.form, s.form_language, s.phone, s.email, s.postcode, s.area, s.languages, s.tasks,
            s.submitted_at, s.unknown_choices) == (
        "S-1", "offer", language, "+32470123456", "jan@x.be", "3010", "Kessel-Lo", ("nl", "ar"),
        ("groceries", "letter"), datetime(2020, 3, 20, 14, 3, 22), ())


def test_times_from_the_website_are_city_time():
    assert parse_time("2020-03-20T13:03:22Z") == datetime(2020, 3, 20, 14, 3, 22)
    assert parse_time("not a time") is None


@pytest.mark.parametrize("a, b, alike", [
    ("jan peeters", "peeters jan", True), ("jan peeters", "jan peters", True), ("jna peeters", "jan peeters", True),
    ("an peeters", "jan peeters", False), ("maria peeters", "jan peeters", False),
    ("jef peeters", "jan peeters", False),
    ("jan vandenbroeck", "jan van den broeck", True), ("peeters", "peeters", True)])
def test_names_alike_allow_typos_and_swaps_but_not_another_first_name(a, b, alike):
    assert compare_names(tuple(a.split()), tuple(b.split())).alike is alike


def _candidate(key: str, name: str, **details: str) -> Candidate:
    tab = intake_tab(OFFER_FORM, "nl")
    return Candidate(key, (normalise_record(tab, submission(key, name, **details), "nl"),))


def test_a_shared_family_email_with_different_first_names_is_not_a_duplicate():
    mother = _candidate("S-1", "Maria Peeters", email="peeters@telenet.be")
    son = _candidate("S-2", "Jan Peeters", email="peeters@telenet.be")
    assert compare_people(mother, son, "nl") is None


def test_blocking_compares_only_candidates_that_share_something():
    people = [_candidate(f"S-{n}", f"Person{n} Name{n}", phone=f"04701{n:05d}") for n in range(2000)]
    people.append(_candidate("S-x", "Person7 Name7", phone="0499 99 99 99"))
    assert list(candidate_pairs(people)) == [(7, 2000)]
