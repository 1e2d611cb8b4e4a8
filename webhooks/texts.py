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
    "thanks_organisation": _t(
        "We hebben je vraag goed ontvangen. Een coördinator zoekt vrijwilligers en neemt contact met je op.",
        "We have received your request. A coordinator will look for volunteers and contact you.",
        "Nous avons bien reçu votre demande. Un coordinateur cherche des bénévoles et vous contactera."),
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

# The call centre's forms speak to the agent, who types in what a caller says.
AGENT_TEXTS: dict[str, Labels] = {
    "agent_title_request": _t("Oproep: hulpvraag", "Call: request for help", "Appel : demande d'aide"),
    "agent_title_offer": _t("Oproep: hulpaanbod", "Call: offer of help", "Appel : offre d'aide"),
    "agent_title_organisation": _t("Oproep: organisatie zoekt vrijwilligers", "Call: an organisation needs "
                                   "volunteers", "Appel : une organisation cherche des bénévoles"),
    "agent_intro": _t(
        "Vul in wat de beller vertelt. Lees de privacytekst voor en vink de toestemming pas aan als de "
        "beller ja zegt.",
        "Type in what the caller tells you. Read the privacy text out and tick consent only when the caller "
        "says yes.",
        "Saisissez ce que l'appelant vous dit. Lisez le texte sur la vie privée et ne cochez le consentement "
        "que si l'appelant dit oui."),
    "agent_channel": _t("Hoe kwam dit binnen?", "How did this come in?", "Comment est-ce arrivé ?"),
    "agent_signed_in": _t("Aangemeld als {name}.", "Signed in as {name}.", "Connecté en tant que {name}."),
    "agent_sign_out": _t("Afmelden", "Sign out", "Se déconnecter"),
    "agent_sign_in": _t("Aanmelden voor het callcenter", "Call centre sign-in", "Connexion du centre d'appels"),
    "agent_name": _t("Je naam", "Your name", "Votre nom"),
    "agent_name_help": _t("Staat bij elke oproep die je invoert.", "Goes with every call you enter.",
                          "Accompagne chaque appel que vous saisissez."),
    "agent_passcode": _t("Toegangscode", "Passcode", "Code d'accès"),
    "agent_passcode_help": _t("De code die de coördinatie je gaf.", "The code the coordinators gave you.",
                              "Le code donné par la coordination."),
    "agent_wait": _t("Te veel pogingen met deze naam. Probeer opnieuw over {seconds} seconden.",
                     "Too many attempts with this name. Try again in {seconds} seconds.",
                     "Trop de tentatives avec ce nom. Réessayez dans {seconds} secondes."),
    "agent_wrong": _t("Die naam of toegangscode klopt niet.", "That name or passcode is not right.",
                      "Ce nom ou ce code d'accès n'est pas correct."),
    "agent_saved": _t("Opgeslagen. De oproep staat in het journaal en komt zo in het spreadsheet.",
                      "Saved. The call is in the journal and reaches the spreadsheet shortly.",
                      "Enregistré. L'appel est dans le journal et arrive bientôt dans le tableur."),
    "agent_next": _t("Volgende oproep", "Next call", "Appel suivant"),
    "agent_other_request": _t("Volgende oproep is een hulpvraag", "Next call is a request for help",
                              "L'appel suivant est une demande d'aide"),
    "agent_other_offer": _t("Volgende oproep is een hulpaanbod", "Next call is an offer of help",
                            "L'appel suivant est une offre d'aide"),
}
TEXTS.update(AGENT_TEXTS)

# How a question reads to the agent, where the resident's wording would be wrong.
AGENT_WORDING: dict[str, Labels] = {
    "full_name": _t("Naam van de beller (of van wie de hulp nodig heeft)", "Name of the caller (or of who needs "
                    "the help)", "Nom de l'appelant (ou de la personne qui a besoin d'aide)"),
    "phone": _t("Telefoonnummer van de beller", "The caller's phone number", "Numéro de téléphone de l'appelant"),
    "email": _t("E-mailadres van de beller", "The caller's e-mail address", "Adresse e-mail de l'appelant"),
    "street": _t("Adres van de beller", "The caller's address", "Adresse de l'appelant"),
    "languages": _t("Welke talen spreekt de beller?", "Which languages does the caller speak?",
                    "Quelles langues l'appelant parle-t-il ?"),
    "tasks": _t("Waarvoor belt de beller?", "What is the caller calling about?", "Pour quoi l'appelant appelle-t-il ?"),
    "consent_privacy": _t("De beller gaat mondeling akkoord met de verwerking zoals hieronder beschreven "
                          "(lees het voor)",
                          "The caller agrees, spoken, to the processing described below (read it out)",
                          "L'appelant accepte oralement le traitement décrit ci-dessous (lisez-le)"),
    "consent_partners": _t("De beller gaat mondeling akkoord dat partners in de buurt de gegevens krijgen",
                           "The caller agrees, spoken, that partners nearby receive the details",
                           "L'appelant accepte oralement que des partenaires proches reçoivent les données"),
}

# Each language's own name, for the language switch (always shown in that language).
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English", "fr": "Français"}


def texts(language: str) -> dict[str, str]:
    """Every page word in one language, for a template."""
    return {key: labels[language] for key, labels in TEXTS.items()}
