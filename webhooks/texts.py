"""The words of the public pages around the questions, in every language (the questions come from the schema)."""

from __future__ import annotations

from sheets_schema.fields import Labels


def _t(nl: str, en: str, fr: str) -> Labels:
    return {"nl": nl, "en": en, "fr": fr}


TEXTS: dict[str, Labels] = {
    "site": _t("Leuven Helpt", "Leuven Helps", "Louvain Aide"),
    "required": _t("verplicht", "required", "obligatoire"),
    "send": _t("Versturen", "Send", "Envoyer"),
    "errors_title": _t("Er is een probleem", "There is a problem", "Il y a un problème"),
    "error_prefix": _t("Fout", "Error", "Erreur"),
    "other_languages": _t("Andere talen", "Other languages", "Autres langues"),
    "privacy_title": _t("Privacy", "Privacy", "Vie privée"),
    "consent_title": _t("Toestemming", "Consent", "Consentement"),
    "task_description": _t("Wat je doet", "What you do", "Ce que vous faites"),
    "task_material": _t("Wat je nodig hebt", "What you need", "Ce qu'il vous faut"),
    "task_profile": _t("Wie kan dit doen", "Who can do this", "Qui peut le faire"),
    "honeypot": _t("Laat dit veld leeg", "Leave this field empty", "Laissez ce champ vide"),
    "thanks_title": _t("Bedankt!", "Thank you!", "Merci !"),
    "thanks_request": _t(
        "We hebben je hulpvraag goed ontvangen. Een coördinator zoekt een vrijwilliger in je buurt "
        "en neemt contact met je op.",
        "We have received your request for help. A coordinator will look for a volunteer in your "
        "area and contact you.",
        "Nous avons bien reçu votre demande d'aide. Un coordinateur cherche un bénévole dans votre "
        "quartier et vous contactera."),
    "thanks_offer": _t(
        "We hebben je aanbod goed ontvangen. Een coördinator neemt contact met je op zodra iemand "
        "in je buurt je hulp kan gebruiken.",
        "We have received your offer. A coordinator will contact you as soon as someone in your "
        "area needs your help.",
        "Nous avons bien reçu votre offre. Un coordinateur vous contactera dès que quelqu'un de "
        "votre quartier aura besoin de vous."),
    "back_home": _t("Terug naar het begin", "Back to the start", "Retour à l'accueil"),
    "too_many": _t("Te veel inzendingen", "Too many submissions", "Trop de soumissions"),
    "home_title": _t("Hulp vragen of hulp bieden", "Ask for help or offer help", "Demander ou offrir de l'aide"),
    "home_intro": _t(
        "Heb je hulp nodig bij boodschappen, de apotheek of een babbel? Of wil je helpen? Vul het formulier "
        "in: een coördinator brengt je in contact met iemand in je buurt.",
        "Do you need help with shopping, the pharmacy or a chat? Or would you like to help? Fill in the form: "
        "a coordinator puts you in touch with someone nearby.",
        "Besoin d'aide pour les courses, la pharmacie ou une conversation ? Ou envie d'aider ? Remplissez le "
        "formulaire : un coordinateur vous met en contact avec quelqu'un près de chez vous."),
    "contact": _t("Liever bellen of mailen?", "Rather call or write?", "Vous préférez appeler ou écrire ?"),
}

# Each language's own name, for the language switch (always shown in that language).
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English", "fr": "Français"}


def texts(language: str) -> dict[str, str]:
    """Every page word in one language, for a template."""
    return {key: labels[language] for key, labels in TEXTS.items()}
