"""What can be wrong with a submission: a stable slug per problem, and its message, through the catalogues.

Validation returns a list of Problems (never raises); the slug is for machines
(the API's `code`), the message for the person who filled in the form. `{label}`
is the question as the person saw it, in their language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import N_, translate


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field (or with the whole submission, field "")."""

    field: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


MESSAGES: dict[str, str] = {
    "required": N_("Please fill in '{label}'."),
    "contact-required": N_("Give a phone number or an e-mail address, so we can reach you."),
    "consent-required": N_("We can only use your details if you agree to them being processed."),
    "too-long": N_("'{label}' can be at most {max} characters long."),
    "too-many-values": N_("'{label}' takes at most {max} choices."),
    "invalid-characters": N_("'{label}' contains characters we cannot store. Please type the text again."),
    "wrong-type": N_("'{label}' has the wrong kind of answer: expected {expected}."),
    "invalid-phone": N_("'{label}' is not a valid phone number, for example 016 27 20 00 or +32 470 12 34 56."),
    "invalid-email": N_("'{label}' is not a valid e-mail address, for example name@example.be."),
    "invalid-postcode": N_("'{label}' must be a four-digit Belgian postcode, for example 3000."),
    "invalid-number": N_("'{label}' must be a whole number from 1 to {max}."),
    "invalid-boolean": N_("'{label}' must be yes or no."),
    "unknown-choice": N_("'{value}' is not one of the choices for '{label}'."),
    "unknown-task": N_("'{value}' is not a task we know."),
    "organisation-required": N_("Only an organisation asks for several volunteers: please also fill in the "
                                "organisation."),
    "unknown-field": N_("The form has no question '{value}'."),
    "duplicate-answer": N_("'{label}' was answered more than once."),
    "unknown-form": N_("Unknown form '{value}': use request or offer."),
    "unknown-language": N_("Unknown language '{value}': use nl, en or fr."),
    "unknown-channel": N_("Unknown channel '{value}': use web, website, google_form, phone or email."),
    "invalid-submission-id": N_("submission_id must be 1 to 100 letters, digits or . _ : -."),
    "not-an-object": N_("The body must be a JSON object, with 'answers' as an object."),
    "malformed-json": N_("The body is not valid JSON."),
    "malformed-body": N_("The body could not be read (not valid UTF-8 or form encoding)."),
    "wrong-content-type": N_("Send application/json or application/x-www-form-urlencoded."),
    "body-too-large": N_("The submission is too large (at most {max} bytes)."),
    "body-too-complex": N_("The body is nested too deeply or holds numbers too long to read."),
    "submission-id-reused": N_("This submission_id was already used for different answers. Give every submission its "
                               "own id."),
    "rate-limited": N_("Too many submissions in a row. Please try again in a minute."),
    "missing-signature": N_("The X-Helpt-Signature header is missing or unreadable."),
    "bad-signature": N_("The signature does not match the body."),
    "stale-signature": N_("The signature is more than 5 minutes old or ahead; check the clock."),
    "api-not-configured": N_("The intake API is off: HELPT_WEBHOOK_SECRET is not set."),
    "journal-unavailable": N_("We could not store your submission safely just now. Please try again shortly."),
    "form-expired": N_("The form had expired. Your answers are still there: please send it again."),
}

# How `wrong-type` names what it expected.
EXPECTED: dict[str, str] = {
    "text": N_("text"),
    "list": N_("a list of choices"),
    "bool": N_("yes or no"),
}


def message(problem: Problem, language: str, label: str = "") -> str:
    """The problem in words, in `language`; `label` is the question's title in that language."""
    params = {key: translate(language, EXPECTED[str(value)]) if key == "expected" else value
              for key, value in problem.params.items()}
    return translate(language, MESSAGES[problem.code], label=label or problem.field, **params)
