"""The web pages people fill in: views of the contract's two forms (request, offer), and the same pages
worded for the call centre's agents.

The contract's request form holds every task and the organisation's fields,
so one intake tab takes requests from residents, organisations, the API and
Google Forms alike. On the web, though, a resident should not be offered the
volunteer jobs an organisation asks for (logistics, helpline, triage), nor
its fields; an organisation gets a page of its own that asks for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sheets_schema.fields import Form, Question, nl_en_fr
from sheets_schema.forms import FORMS
from sheets_schema.tasks import TASKS

from .texts import AGENT_WORDING

_COLLECTIVE = {task.code for task in TASKS if task.collective}
_ORGANISATION_FIELDS = ("organisation", "needed_count")


def _first(questions: Sequence[Question], *field_ids: str) -> tuple[Question, ...]:
    """The same questions with these first: on a phone, what a page is about comes before who you are."""
    return (*(q for f in field_ids for q in questions if q.field_id == f),
            *(q for q in questions if q.field_id not in field_ids))


def _resident_request(form: Form) -> Form:
    questions = []
    for q in form.questions:
        if q.field_id == "tasks":
            q = replace(q, choices=tuple(c for c in q.choices if c.code not in _COLLECTIVE))
        elif q.field_id == "on_behalf_of":  # behind "Filling this in for someone else?" on the page
            q = replace(q, labels=nl_en_fr("Jouw naam en telefoonnummer", "Your name and phone number",
                                           "Votre nom et numéro de téléphone"))
        elif q.field_id in _ORGANISATION_FIELDS:
            continue
        questions.append(q)
    return replace(form, questions=_first(questions, "tasks"))


def _organisation_request(form: Form) -> Form:
    questions = []
    for q in form.questions:
        if q.field_id == "tasks":
            q = replace(q, choices=tuple(c for c in q.choices if c.code in _COLLECTIVE))
        elif q.field_id == "organisation":
            q = replace(q, required=True, labels=nl_en_fr("Organisatie", "Organisation", "Organisation"))
        elif q.field_id == "full_name":  # the resident's wording asks for who needs the help
            q = replace(q, labels=nl_en_fr("Contactpersoon", "Contact person", "Personne de contact"))
        elif q.field_id == "street":
            q = replace(q, labels=nl_en_fr("Adres waar de vrijwilligers heen gaan", "Address the volunteers go to",
                                           "Adresse où vont les bénévoles"),
                        help=nl_en_fr("Straat en huisnummer van de plek waar de vrijwilligers zich melden.",
                                      "Street and house number of the place where the volunteers report.",
                                      "Rue et numéro de l'endroit où les bénévoles se présentent."))
        elif q.field_id == "details":
            q = replace(q, help=nl_en_fr("Bijvoorbeeld: wat de vrijwilligers doen, de uren, bij wie ze zich melden. "
                                         "Geen medische gegevens van patiënten of bewoners.",
                                         "For example: what the volunteers do, the hours, whom they report to. No "
                                         "medical details of patients or residents.",
                                         "Par exemple : ce que font les bénévoles, les horaires, à qui ils se "
                                         "présentent. Pas de données médicales de patients ou de résidents."))
        elif q.field_id == "languages":
            q = replace(q, labels=nl_en_fr("Welke talen spreekt de contactpersoon?",
                                           "Which languages does the contact person speak?",
                                           "Quelles langues parle la personne de contact ?"),
                        help=nl_en_fr("Kruis alles aan wat past.", "Tick all that apply.",
                                      "Cochez tout ce qui convient."))
        elif q.field_id in ("on_behalf_of", "availability"):
            continue
        questions.append(q)
    # The organisation's name first: it is what the page is for, and its error points to the top.
    return replace(form, id="organisation", questions=_first(questions, "organisation", "tasks", "needed_count"),
                   titles=nl_en_fr(
        "Onze organisatie zoekt vrijwilligers", "Our organisation needs volunteers",
        "Notre organisation cherche des bénévoles"), intro=nl_en_fr(
        "Voor zorg- en hulporganisaties die voor een kritieke taak meerdere vrijwilligers tegelijk nodig hebben.",
        "For care and aid organisations that need several volunteers at once for a critical task.",
        "Pour les organisations de soins et d'aide qui ont besoin de plusieurs bénévoles à la fois pour une "
        "tâche critique."))


# Page id -> (the contract's form it fills in, the form as the page shows it).
PAGES: dict[str, tuple[str, Form]] = {
    "request": ("request", _resident_request(FORMS["request"])),
    "offer": ("offer", replace(FORMS["offer"], questions=_first(FORMS["offer"].questions, "tasks"))),
    "organisation": ("request", _organisation_request(FORMS["request"])),
}


def _for_agent(page_id: str, form: Form) -> Form:
    """The page as a call-centre agent reads it: questions about the caller, help for the agent."""
    wording = AGENT_WORDING[page_id]
    questions = tuple(replace(q, labels=wording[q.field_id][0], help=wording[q.field_id][1] or q.help)
                      if q.field_id in wording else q for q in form.questions)
    return replace(form, questions=questions)


# The same pages behind the call centre's door.
AGENT_PAGES: dict[str, Form] = {page_id: _for_agent(page_id, form) for page_id, (_, form) in PAGES.items()}
