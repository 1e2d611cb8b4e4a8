"""The spreadsheet contract: every text in every language, ids sane, layouts as promised."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, Iterator

import pytest

from sheets_schema.areas import LEUVEN_POSTCODES, area, distance_km, load_areas, neighbours
from sheets_schema.choices import TRANSPORT_CHOICES, codes
from sheets_schema.contract import contract
from sheets_schema.fields import COORDINATOR, LANGUAGES, SYSTEM
from sheets_schema.forms import FIELD_IDS, FORMS, OFFER_FORM, REQUEST_FORM
from sheets_schema.tabs import INTAKE_TABS, REQUESTS, TABS, VOLUNTEERS, intake_tab, tab
from sheets_schema.tasks import TASK_CHOICES, TASKS, task

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# Keys whose value must be a text per language wherever they appear in the contract.
TEXT_KEYS = {"labels", "help", "titles", "intro", "descriptions", "material", "profile",
             "privacy", "partner_sharing"}


def _walk(node: Any, path: str = "contract") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) pair in the contract, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _language_maps() -> list[tuple[str, dict]]:
    """Every dict in the contract that holds texts per language, found generically."""
    found = []
    for path, key, value in _walk(contract()):
        if key in TEXT_KEYS:
            assert isinstance(value, dict), f"{path}.{key} is not a text per language"
            found.append((f"{path}.{key}", value))
        elif isinstance(value, dict) and set(value) & set(LANGUAGES):
            found.append((f"{path}.{key}", value))
    return found


def _header_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- every text in every language ------------------------------------------------


def test_the_contract_has_texts_to_check():
    assert len(_language_maps()) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_exists_in_every_language(language):
    missing = [path for path, texts in _language_maps()
               if not isinstance(texts.get(language), str) or not texts[language].strip()]
    assert missing == []


def test_text_maps_hold_only_known_languages():
    strays = [(path, sorted(set(texts) - set(LANGUAGES))) for path, texts in _language_maps()
              if set(texts) - set(LANGUAGES)]
    assert strays == []


def test_contract_round_trips_through_json():
    data = contract()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


# --- tabs and columns ----------------------------------------------------------


@pytest.mark.parametrize("sheet", TABS, ids=lambda t: t.id)
def test_column_ids_are_snake_case_and_unique(sheet):
    ids = [c.id for c in sheet.columns]
    assert [i for i in ids if not SNAKE_CASE.match(i)] == []
    assert [i for i, n in Counter(ids).items() if n > 1] == []


@pytest.mark.parametrize("sheet", TABS, ids=lambda t: t.id)
def test_every_header_text_points_to_one_column(sheet):
    # The Workbook finds a column by its id or any label; two columns sharing a
    # text would make the second unreachable under that header.
    owners: dict[str, set[str]] = {}
    for column in sheet.columns:
        for text in column.headers():
            owners.setdefault(_header_key(text), set()).add(column.id)
    assert {text: ids for text, ids in owners.items() if len(ids) > 1} == {}


def test_tab_ids_and_titles_are_unique_across_tabs():
    ids = [t.id for t in TABS]
    assert len(ids) == len(set(ids))
    assert all(SNAKE_CASE.match(i) for i in ids)
    seen: dict[str, str] = {}
    clashes = []
    for sheet in TABS:
        for name in {_header_key(n) for n in sheet.names()}:
            if name in seen and seen[name] != sheet.id:
                clashes.append((name, seen[name], sheet.id))
            seen.setdefault(name, sheet.id)
    assert clashes == []


def test_tabs_are_in_spreadsheet_order():
    assert [t.id for t in TABS] == [
        "requests", "volunteers",
        "intake_request_nl", "intake_request_en", "intake_request_fr",
        "intake_offer_nl", "intake_offer_en", "intake_offer_fr",
        "tasks", "areas", "partners", "overview", "stats", "log",
    ]
    assert tab("requests") is REQUESTS
    with pytest.raises(KeyError):
        tab("nope")


@pytest.mark.parametrize("sheet", TABS, ids=lambda t: t.id)
def test_choices_have_unique_codes_and_defaults_among_them(sheet):
    for column in sheet.columns:
        choice_codes = [c.code for c in column.choices]
        assert len(choice_codes) == len(set(choice_codes)), column.id
        if column.default:
            assert column.owner == COORDINATOR, column.id
            assert column.default in choice_codes, column.id


@pytest.mark.parametrize("sheet", INTAKE_TABS, ids=lambda t: t.id)
def test_intake_tab_is_laid_out_like_a_google_forms_response_sheet(sheet):
    form = FORMS[sheet.form]
    assert [c.id for c in sheet.columns] == [
        "timestamp", *(q.field_id for q in form.questions), "submission_id", "channel", "entered_by"]
    assert sheet.kind == "intake" and sheet.language in LANGUAGES
    assert sheet.id == f"intake_{form.id}_{sheet.language}"
    assert {c.owner for c in sheet.columns} == {SYSTEM}
    for question in form.questions:
        assert sheet.column(question.field_id).labels == question.labels


@pytest.mark.parametrize("language", LANGUAGES)
def test_intake_timestamp_header_is_google_forms_own(language):
    expected = {"nl": "Tijdstempel", "en": "Timestamp", "fr": "Horodateur"}[language]
    assert intake_tab(REQUEST_FORM, language).columns[0].labels[language] == expected


def test_there_is_one_intake_tab_per_form_and_language():
    assert sorted((t.form, t.language) for t in INTAKE_TABS) == sorted(
        (f, lang) for f in FORMS for lang in LANGUAGES)


@pytest.mark.parametrize("sheet, key, coordinator_columns", [
    (REQUESTS, "request_id", {"status", "assigned_volunteers", "duplicate_review", "coordinator", "notes"}),
    (VOLUNTEERS, "volunteer_id", {"screening", "status", "duplicate_review", "notes"}),
], ids=["requests", "volunteers"])
def test_master_tabs_have_their_key_and_coordinator_columns(sheet, key, coordinator_columns):
    assert sheet.key == key and sheet.columns[0].id == key
    assert sheet.column(key).owner == SYSTEM
    assert {c.id for c in sheet.columns if c.owner == COORDINATOR} == coordinator_columns
    for column_id in ("created_at", "updated_at", "submission_ids", "channel", "form_language",
                      "full_name", "phone", "email", "postcode", "area", "languages", "tasks",
                      "duplicate_of", "duplicate_reason", "synced_at"):
        assert sheet.column(column_id).owner == SYSTEM


def test_master_defaults_are_the_expected_first_states():
    assert REQUESTS.column("status").default == "new"
    assert [c.labels["nl"] for c in REQUESTS.column("status").choices] == [
        "Nieuw", "In behandeling", "Gematcht", "Afgesloten", "Geannuleerd"]
    assert VOLUNTEERS.column("screening").default == "to_screen"
    assert VOLUNTEERS.column("status").default == "active"


def test_personal_columns_are_marked():
    for sheet in (REQUESTS, VOLUNTEERS, *INTAKE_TABS):
        for column_id in ("full_name", "phone", "email", "street", "details"):
            assert sheet.column(column_id).personal, (sheet.id, column_id)
    assert tab("partners").column("contact_email").personal


# --- forms -------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS.values(), ids=lambda f: f.id)
def test_form_questions_answer_known_fields_once(form):
    ids = [q.field_id for q in form.questions]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(FIELD_IDS)
    for field_id in ("full_name", "postcode", "tasks", "consent_privacy", "languages"):
        assert form.question(field_id).required, field_id
    for question in form.questions:
        assert question.max_length > 0


def test_forms_ask_exactly_the_agreed_questions():
    assert [q.field_id for q in REQUEST_FORM.questions] == [
        "full_name", "phone", "email", "street", "postcode", "languages", "tasks", "details",
        "availability", "on_behalf_of", "organisation", "needed_count", "consent_privacy"]
    assert [q.field_id for q in OFFER_FORM.questions] == [
        "full_name", "phone", "email", "street", "postcode", "languages", "tasks", "transport",
        "availability", "profile_ok", "consent_privacy", "consent_partners", "details"]


def test_partner_sharing_is_a_separate_optional_consent():
    assert not OFFER_FORM.question("consent_partners").required
    assert OFFER_FORM.question("consent_partners").type == "bool"
    assert OFFER_FORM.question("profile_ok").type == "bool"


# --- tasks -------------------------------------------------------------------


@pytest.mark.parametrize("item", TASKS, ids=lambda t: t.code)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_task_has_its_texts(item, language):
    for texts in (item.labels, item.descriptions, item.material, item.profile):
        assert texts[language].strip()


@pytest.mark.parametrize("item", TASKS, ids=lambda t: t.code)
def test_tasks_require_only_known_transport(item):
    assert set(item.requires) <= set(codes(TRANSPORT_CHOICES))
    assert SNAKE_CASE.match(item.code)


def test_task_list_and_lookup():
    assert [t.code for t in TASKS] == [
        "groceries", "pharmacy", "dog_walking", "post_office", "drawing", "phone_chat",
        "video_call", "letter", "food_delivery", "logistics", "phone_support", "triage_support"]
    assert task("groceries").requires == ("car", "cargo_bike")
    assert {t.code for t in TASKS if not t.in_person} >= {"phone_chat", "video_call", "letter", "drawing"}
    assert {t.code for t in TASKS if t.collective} == {"logistics", "phone_support", "triage_support"}
    assert [c.code for c in TASK_CHOICES] == [t.code for t in TASKS]
    with pytest.raises(KeyError):
        task("nope")


# --- areas -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("postcode, names", [
    ("3000", {"nl": "Leuven", "en": "Leuven", "fr": "Louvain"}),
    ("3001", {"nl": "Heverlee", "en": "Heverlee", "fr": "Heverlee"}),
    ("3010", {"nl": "Kessel-Lo", "en": "Kessel-Lo", "fr": "Kessel-Lo"}),
    ("3012", {"nl": "Wilsele", "en": "Wilsele", "fr": "Wilsele"}),
    ("3018", {"nl": "Wijgmaal", "en": "Wijgmaal", "fr": "Wijgmaal"}),
])
def test_leuven_areas_are_named_in_every_language(postcode, names, language):
    assert postcode in LEUVEN_POSTCODES
    assert area(postcode).labels[language] == names[language]


def test_kessel_lo_has_its_hyphen():
    assert area("3010").name == "Kessel-Lo"


def test_every_belgian_postcode_is_an_area():
    areas = load_areas()
    assert len(areas) > 1000
    assert len({a.postcode for a in areas}) == len(areas)
    assert all(set(a.labels) == set(LANGUAGES) and all(a.labels.values()) for a in areas)
    assert all(49.4 < a.lat < 51.6 and 2.5 < a.lng < 6.5 for a in areas)  # inside Belgium


def test_distances_are_plausible():
    assert 1.0 < distance_km("3000", "3001") < 5.0
    assert distance_km("3000", "3001") == pytest.approx(distance_km("3001", "3000"))
    assert 20 < distance_km("3000", "1000") < 30  # Leuven - Brussels
    assert set(neighbours("3000")) >= {"3001", "3010", "3012"}
    assert "3000" not in neighbours("3000")


def test_source_capitals_are_repaired():
    assert area("4000").name == "Liège"
    with pytest.raises(KeyError):
        area("0000")


def test_choice_labels_have_no_comma():
    # Google Forms joins ticked boxes with ", "; a comma inside a label would split it.
    with_comma = [(path, texts) for path, texts in _language_maps()
                  if ".choices[" in path and any("," in text for text in texts.values())]
    assert with_comma == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_choice_labels_map_back_to_one_code(language):
    # Intake reads the labels Google Forms wrote and turns them back into codes.
    lists = [c.choices for sheet in TABS for c in sheet.columns if c.choices]
    for choices in lists:
        labels = [_header_key(c.labels[language]) for c in choices]
        assert len(labels) == len(set(labels)), labels


@pytest.mark.parametrize("postcode, province, region", [
    ("1000", "Brussels Hoofdstedelijk Gewest", "Brussels Hoofdstedelijk Gewest"),
    ("1200", "Brussels Hoofdstedelijk Gewest", "Brussels Hoofdstedelijk Gewest"),
    ("1300", "Waals-Brabant", "Wallonië"),
    ("3000", "Vlaams-Brabant", "Vlaanderen"),
    ("4000", "Luik", "Wallonië"),
    ("9000", "Oost-Vlaanderen", "Vlaanderen"),
])
def test_the_areas_tab_has_each_postcodes_province_and_region_from_the_data(postcode, province, region):
    from sheets_schema.reference import reference_rows
    from sheets_schema.tabs import AREAS_TAB

    [row] = [r for r in reference_rows(AREAS_TAB, "nl") if r["postcode"] == postcode]
    assert (row["province"], row["region"]) == (province, region)
    [french] = [r for r in reference_rows(AREAS_TAB, "fr") if r["postcode"] == postcode]
    assert french["province"] != "" and french["region"] in ("Région de Bruxelles-Capitale", "Wallonie", "Flandre")
