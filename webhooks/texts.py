"""Words of the pages that depend on which form a page shows; the rest are in the templates.

The page texts are English messages in the catalogues (sheets_schema/locale),
which Flask-Babel translates for the page's language; how a question reads to
an agent is wording of the form itself, data in all three languages, like the
questions of the schema.
"""

from __future__ import annotations

from sheets_schema.fields import Labels, nl_en_fr
from sheets_schema.i18n import N_

# Titles and thank-you words per form page; the rest of the pages' words are in the templates, as _("...").
AGENT_TITLES: dict[str, str] = {
    "request": N_("Call: request for help"),
    "offer": N_("Call: offer of help"),
    "organisation": N_("Call: an organisation needs volunteers"),
}
THANKS: dict[str, str] = {
    "request": N_("We have received your request for help. A coordinator will look for a volunteer in your area "
                  "and contact you."),
    "offer": N_("We have received your offer. A coordinator will contact you as soon as someone in your area "
                "needs your help."),
    "organisation": N_("We have received your request. A coordinator will look for volunteers and contact you."),
}

# How a question reads to the agent, where the resident's wording would be wrong.
AGENT_WORDING: dict[str, Labels] = {
    "full_name": nl_en_fr("Naam van de beller (of van wie de hulp nodig heeft)", "Name of the caller (or of who needs "
                    "the help)", "Nom de l'appelant (ou de la personne qui a besoin d'aide)"),
    "phone": nl_en_fr("Telefoonnummer van de beller", "The caller's phone number", "Numéro de téléphone de l'appelant"),
    "email": nl_en_fr("E-mailadres van de beller", "The caller's e-mail address", "Adresse e-mail de l'appelant"),
    "street": nl_en_fr("Adres van de beller", "The caller's address", "Adresse de l'appelant"),
    "languages": nl_en_fr("Welke talen spreekt de beller?", "Which languages does the caller speak?",
                    "Quelles langues l'appelant parle-t-il ?"),
    "tasks": nl_en_fr("Waarvoor belt de beller?", "What is the caller calling about?", "Pour quoi l'appelant "
                                                                                       "appelle-t-il ?"),
    "consent_privacy": nl_en_fr("De beller gaat mondeling akkoord met de verwerking zoals hieronder beschreven "
                          "(lees het voor)",
                          "The caller agrees, spoken, to the processing described below (read it out)",
                          "L'appelant accepte oralement le traitement décrit ci-dessous (lisez-le)"),
    "consent_partners": nl_en_fr("De beller gaat mondeling akkoord dat partners in de buurt de gegevens krijgen",
                           "The caller agrees, spoken, that partners nearby receive the details",
                           "L'appelant accepte oralement que des partenaires proches reçoivent les données"),
}

# Each language's own name, for the language switch (always shown in that language).
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English", "fr": "Français"}
