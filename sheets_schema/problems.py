"""What can be wrong with a submission: a stable slug per problem, and its message in every language.

Validation returns a list of Problems (never raises); the slug is for machines
(the API's `code`), the message for the person who filled in the form. `{label}`
is the question as the person saw it, in their language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import Labels


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field (or with the whole submission, field "")."""

    field: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


def _t(nl: str, en: str, fr: str) -> Labels:
    return {"nl": nl, "en": en, "fr": fr}


MESSAGES: dict[str, Labels] = {
    "required": _t("Vul '{label}' in.", "Please fill in '{label}'.", "Veuillez remplir « {label} »."),
    "contact-required": _t(
        "Vul een telefoonnummer of een e-mailadres in, zodat we je kunnen bereiken.",
        "Give a phone number or an e-mail address, so we can reach you.",
        "Indiquez un numéro de téléphone ou une adresse e-mail pour que nous puissions vous joindre."),
    "consent-required": _t(
        "We kunnen je gegevens alleen gebruiken als je akkoord gaat met de verwerking.",
        "We can only use your details if you agree to them being processed.",
        "Nous ne pouvons utiliser vos données que si vous acceptez leur traitement."),
    "too-long": _t("'{label}' mag hoogstens {max} tekens lang zijn.",
                   "'{label}' can be at most {max} characters long.",
                   "« {label} » ne peut pas dépasser {max} caractères."),
    "too-many-values": _t("Bij '{label}' kun je hoogstens {max} keuzes aanduiden.",
                          "'{label}' takes at most {max} choices.",
                          "« {label} » accepte au plus {max} choix."),
    "invalid-characters": _t("'{label}' bevat tekens die we niet kunnen bewaren. Typ de tekst opnieuw.",
                             "'{label}' contains characters we cannot store. Please type the text again.",
                             "« {label} » contient des caractères que nous ne pouvons pas enregistrer. Retapez le "
                             "texte."),
    "wrong-type": _t("'{label}' heeft een verkeerd soort antwoord: verwacht {expected}.",
                     "'{label}' has the wrong kind of answer: expected {expected}.",
                     "« {label} » a un type de réponse incorrect : attendu {expected}."),
    "invalid-phone": _t("'{label}' is geen geldig telefoonnummer, bijvoorbeeld 016 27 20 00 of +32 470 12 34 56.",
                        "'{label}' is not a valid phone number, for example 016 27 20 00 or +32 470 12 34 56.",
                        "« {label} » n'est pas un numéro de téléphone valide, par exemple 016 27 20 00 ou +32 470 12 "
                        "34 56."),
    "invalid-email": _t("'{label}' is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.be.",
                        "'{label}' is not a valid e-mail address, for example name@example.be.",
                        "« {label} » n'est pas une adresse e-mail valide, par exemple nom@exemple.be."),
    "invalid-postcode": _t("'{label}' moet een Belgische postcode van vier cijfers zijn, bijvoorbeeld 3000.",
                           "'{label}' must be a four-digit Belgian postcode, for example 3000.",
                           "« {label} » doit être un code postal belge à quatre chiffres, par exemple 3000."),
    "invalid-number": _t("'{label}' moet een geheel getal tussen 1 en {max} zijn.",
                         "'{label}' must be a whole number from 1 to {max}.",
                         "« {label} » doit être un nombre entier de 1 à {max}."),
    "invalid-boolean": _t("'{label}' moet ja of nee zijn.", "'{label}' must be yes or no.",
                          "« {label} » doit être oui ou non."),
    "unknown-choice": _t("'{value}' is geen mogelijke keuze bij '{label}'.",
                         "'{value}' is not one of the choices for '{label}'.",
                         "« {value} » ne fait pas partie des choix pour « {label} »."),
    "unknown-task": _t("'{value}' is geen taak die we kennen.", "'{value}' is not a task we know.",
                       "« {value} » n'est pas une tâche connue."),
    "organisation-required": _t(
        "Alleen een organisatie vraagt meerdere vrijwilligers: vul ook de organisatie in.",
        "Only an organisation asks for several volunteers: please also fill in the organisation.",
        "Seule une organisation demande plusieurs bénévoles : indiquez aussi l'organisation."),
    "unknown-field": _t("Het formulier heeft geen vraag '{value}'.", "The form has no question '{value}'.",
                        "Le formulaire n'a pas de question « {value} »."),
    "duplicate-answer": _t("'{label}' is meer dan eens beantwoord.", "'{label}' was answered more than once.",
                           "« {label} » a reçu plusieurs réponses."),
    "unknown-form": _t("Onbekend formulier '{value}': kies request of offer.",
                       "Unknown form '{value}': use request or offer.",
                       "Formulaire inconnu « {value} » : utilisez request ou offer."),
    "unknown-language": _t("Onbekende taal '{value}': kies nl, en of fr.",
                           "Unknown language '{value}': use nl, en or fr.",
                           "Langue inconnue « {value} » : utilisez nl, en ou fr."),
    "unknown-channel": _t("Onbekend kanaal '{value}': kies web, website, google_form, phone of email.",
                          "Unknown channel '{value}': use web, website, google_form, phone or email.",
                          "Canal inconnu « {value} » : utilisez web, website, google_form, phone ou email."),
    "invalid-submission-id": _t(
        "submission_id moet 1 tot 100 letters, cijfers of . _ : - zijn.",
        "submission_id must be 1 to 100 letters, digits or . _ : -.",
        "submission_id doit comporter 1 à 100 lettres, chiffres ou . _ : -."),
    "not-an-object": _t("De inhoud moet een JSON-object zijn, met 'answers' als object.",
                        "The body must be a JSON object, with 'answers' as an object.",
                        "Le contenu doit être un objet JSON, avec « answers » comme objet."),
    "malformed-json": _t("De inhoud is geen geldige JSON.", "The body is not valid JSON.",
                         "Le contenu n'est pas du JSON valide."),
    "malformed-body": _t("De inhoud kon niet gelezen worden (geen geldige UTF-8 of formuliercodering).",
                         "The body could not be read (not valid UTF-8 or form encoding).",
                         "Le contenu n'a pas pu être lu (UTF-8 ou encodage de formulaire invalide)."),
    "wrong-content-type": _t(
        "Stuur application/json of application/x-www-form-urlencoded.",
        "Send application/json or application/x-www-form-urlencoded.",
        "Envoyez application/json ou application/x-www-form-urlencoded."),
    "body-too-large": _t("De inzending is te groot (hoogstens {max} bytes).",
                         "The submission is too large (at most {max} bytes).",
                         "La soumission est trop volumineuse (au plus {max} octets)."),
    "body-too-complex": _t(
        "De inhoud is te diep genest of bevat te lange getallen om te lezen.",
        "The body is nested too deeply or holds numbers too long to read.",
        "Le contenu est trop imbriqué ou contient des nombres trop longs pour être lu."),
    "submission-id-reused": _t(
        "Deze submission_id werd al gebruikt voor andere antwoorden. Geef elke inzending een eigen id.",
        "This submission_id was already used for different answers. Give every submission its own id.",
        "Ce submission_id a déjà servi pour d'autres réponses. Donnez à chaque soumission son propre id."),
    "rate-limited": _t("Te veel inzendingen na elkaar. Probeer het over een minuut opnieuw.",
                       "Too many submissions in a row. Please try again in a minute.",
                       "Trop de soumissions à la suite. Réessayez dans une minute."),
    "missing-signature": _t("De header X-Helpt-Signature ontbreekt of is onleesbaar.",
                            "The X-Helpt-Signature header is missing or unreadable.",
                            "L'en-tête X-Helpt-Signature est absent ou illisible."),
    "bad-signature": _t("De handtekening klopt niet met de inhoud.", "The signature does not match the body.",
                        "La signature ne correspond pas au contenu."),
    "stale-signature": _t("De handtekening is ouder of nieuwer dan 5 minuten; controleer de klok.",
                          "The signature is more than 5 minutes old or ahead; check the clock.",
                          "La signature date de plus de 5 minutes ou est dans le futur ; vérifiez l'horloge."),
    "api-not-configured": _t(
        "De intake-API staat uit: HELPT_WEBHOOK_SECRET is niet ingesteld.",
        "The intake API is off: HELPT_WEBHOOK_SECRET is not set.",
        "L'API d'accueil est désactivée : HELPT_WEBHOOK_SECRET n'est pas défini."),
    "journal-unavailable": _t(
        "We konden je inzending nu niet veilig bewaren. Probeer het zo dadelijk opnieuw.",
        "We could not store your submission safely just now. Please try again shortly.",
        "Nous n'avons pas pu enregistrer votre soumission pour l'instant. Réessayez sous peu."),
    "form-expired": _t(
        "Het formulier was verlopen. Je antwoorden staan er nog: verstuur opnieuw.",
        "The form had expired. Your answers are still there: please send it again.",
        "Le formulaire avait expiré. Vos réponses sont toujours là : renvoyez-le."),
}

# How `wrong-type` names what it expected.
EXPECTED: dict[str, Labels] = {
    "text": _t("tekst", "text", "du texte"),
    "list": _t("een lijst van keuzes", "a list of choices", "une liste de choix"),
    "bool": _t("ja of nee", "yes or no", "oui ou non"),
}


def message(problem: Problem, language: str, label: str = "") -> str:
    """The problem in words, in `language`; `label` is the question's title in that language."""
    params = {key: EXPECTED[value][language] if key == "expected" else value
              for key, value in problem.params.items()}
    return MESSAGES[problem.code][language].format(label=label or problem.field, **params)
