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

# How a question reads to the agent, per page: (label, help) where the resident's or volunteer's own wording
# ("so we can reach you") would be wrong. A help of None keeps the form's own.
_CONSENTS: dict[str, tuple[Labels, Labels | None]] = {
    "consent_privacy": (nl_en_fr(
        "De beller gaat mondeling akkoord met de verwerking zoals hieronder beschreven (lees het voor)",
        "The caller agrees, spoken, to the processing described below (read it out)",
        "L'appelant accepte oralement le traitement décrit ci-dessous (lisez-le)"), None),
    "consent_partners": (nl_en_fr(
        "De beller gaat mondeling akkoord dat partners in de buurt de gegevens krijgen",
        "The caller agrees, spoken, that partners nearby receive the details",
        "L'appelant accepte oralement que des partenaires proches reçoivent les données"), None),
}
_NO_MEDICAL = nl_en_fr("Geen medische gegevens.", "No medical details.", "Pas de données médicales.")
_NO_EMAIL_NEEDED = nl_en_fr("Niet nodig als er een telefoonnummer is.", "Not needed if there is a phone number.",
                            "Pas nécessaire s'il y a un numéro de téléphone.")
_AS_SAID = nl_en_fr("Kruis aan wat de beller noemt.", "Tick what the caller mentions.",
                    "Cochez ce que l'appelant mentionne.")
AGENT_WORDING: dict[str, dict[str, tuple[Labels, Labels | None]]] = {
    "request": {
        "full_name": (nl_en_fr("Naam van wie de hulp nodig heeft", "Name of who needs the help",
                               "Nom de la personne qui a besoin d'aide"),
                      nl_en_fr("Belt iemand voor een ander? Hier de naam van die ander; de beller komt onderaan.",
                               "Calling for someone else? Their name here; the caller goes at the bottom.",
                               "Appel pour quelqu'un d'autre ? Son nom ici ; l'appelant va en bas.")),
        "phone": (nl_en_fr("Telefoonnummer van wie de hulp nodig heeft", "Phone number of who needs the help",
                           "Téléphone de la personne qui a besoin d'aide"),
                  nl_en_fr("Een telefoonnummer of e-mailadres is nodig. Het nummer van wie voor een ander belt, "
                           "komt onderaan.",
                           "A phone number or e-mail address is needed. The number of someone calling for "
                           "another goes at the bottom.",
                           "Il faut un téléphone ou une adresse e-mail. Le numéro de qui appelle pour un autre "
                           "va en bas.")),
        "email": (nl_en_fr("E-mailadres van wie de hulp nodig heeft", "E-mail of who needs the help",
                           "E-mail de la personne qui a besoin d'aide"),
                  _NO_EMAIL_NEEDED),
        "street": (nl_en_fr("Adres van wie de hulp nodig heeft", "Address of who needs the help",
                            "Adresse de la personne qui a besoin d'aide"),
                   nl_en_fr("Straat en huisnummer: waar de vrijwilliger naartoe gaat.",
                            "Street and house number: where the volunteer goes.",
                            "Rue et numéro : là où va le bénévole.")),
        "languages": (nl_en_fr("Welke talen spreekt wie de hulp nodig heeft?",
                               "Which languages does the person who needs help speak?",
                               "Quelles langues parle la personne qui a besoin d'aide ?"),
                      nl_en_fr("Alle talen waarin we die persoon goed kunnen bereiken.",
                               "Every language in which we can reach that person well.",
                               "Toutes les langues dans lesquelles on peut bien joindre cette personne.")),
        "tasks": (nl_en_fr("Waarvoor is hulp nodig?", "What is help needed for?", "Pour quoi faut-il de l'aide ?"),
                  None),
        "details": (nl_en_fr("Wat vertelt de beller nog over de hulp?", "What else does the caller say about the help?",
                             "Qu'est-ce que l'appelant dit encore sur l'aide ?"),
                    nl_en_fr("Bv. het boodschappenlijstje, hoe groot de hond is. Geen medische gegevens.",
                             "E.g. the shopping list, how big the dog is. No medical details.",
                             "P. ex. la liste de courses, la taille du chien. Pas de données médicales.")),
        "availability": (nl_en_fr("Wanneer past de hulp het best?", "When does help suit best?",
                                  "Quand l'aide convient-elle le mieux ?"),
                         _AS_SAID),
        "on_behalf_of": (nl_en_fr("Belt iemand voor een ander? Naam en telefoonnummer van de beller",
                                  "Someone calling for another? The caller's name and phone number",
                                  "Quelqu'un appelle pour un autre ? Nom et téléphone de l'appelant"),
                         nl_en_fr("Bv. een buur, familielid of hulpverlener. Leeg als de beller zelf hulp nodig heeft.",
                                  "E.g. a neighbour, relative or care worker. Empty if the caller needs the help.",
                                  "P. ex. un voisin, un proche ou un soignant. Vide si l'appelant a besoin de "
                                  "l'aide.")),
        **_CONSENTS,
    },
    "offer": {
        "full_name": (nl_en_fr("Naam van de vrijwilliger (de beller)", "The volunteer's name (the caller)",
                               "Nom du bénévole (l'appelant)"), None),
        "phone": (nl_en_fr("Telefoonnummer van de vrijwilliger", "The volunteer's phone number",
                           "Téléphone du bénévole"),
                  nl_en_fr("Een telefoonnummer of e-mailadres is nodig om de vrijwilliger te bereiken.",
                           "A phone number or e-mail address is needed to reach the volunteer.",
                           "Il faut un téléphone ou une adresse e-mail pour joindre le bénévole.")),
        "email": (nl_en_fr("E-mailadres van de vrijwilliger", "The volunteer's e-mail address",
                           "Adresse e-mail du bénévole"),
                  _NO_EMAIL_NEEDED),
        "street": (nl_en_fr("Adres van de vrijwilliger", "The volunteer's address", "Adresse du bénévole"),
                   nl_en_fr("Straat en huisnummer. Zeg gerust dat we het aan niemand doorgeven.",
                            "Street and house number. Tell them we pass it on to no one.",
                            "Rue et numéro. Dites-lui que nous ne la transmettons à personne.")),
        "languages": (nl_en_fr("Welke talen spreekt de vrijwilliger?", "Which languages does the volunteer speak?",
                               "Quelles langues parle le bénévole ?"),
                      nl_en_fr("Alle talen waarin de vrijwilliger een gesprek kan voeren.",
                               "Every language the volunteer can hold a conversation in.",
                               "Toutes les langues dans lesquelles le bénévole peut tenir une conversation.")),
        "tasks": (nl_en_fr("Wat wil de vrijwilliger doen?", "What would the volunteer like to do?",
                           "Que souhaite faire le bénévole ?"),
                  nl_en_fr("Kies een of meer taken. Taken van thuis uit staan voor iedereen open.",
                           "Choose one or more tasks. Tasks done from home are open to everyone.",
                           "Choisissez une ou plusieurs tâches. Les tâches depuis chez soi sont ouvertes à tous.")),
        "transport": (nl_en_fr("Hoe verplaatst de vrijwilliger zich?", "How does the volunteer get around?",
                               "Comment le bénévole se déplace-t-il ?"), None),
        "availability": (nl_en_fr("Wanneer is de vrijwilliger beschikbaar?", "When is the volunteer available?",
                                  "Quand le bénévole est-il disponible ?"),
                         _AS_SAID),
        "profile_ok": (nl_en_fr("De vrijwilliger verklaart: tussen 16 en 60 jaar, gezond, zonder symptomen, "
                                "geen risicogroep",
                                "The volunteer declares: between 16 and 60, healthy, without symptoms, not in a "
                                "risk group",
                                "Le bénévole déclare : entre 16 et 60 ans, en bonne santé, sans symptômes, pas "
                                "dans un groupe à risque"),
                       nl_en_fr("Vraag het en vink alleen aan als de beller ja zegt. Nodig voor taken aan huis; "
                                "van thuis uit kan iedereen helpen.",
                                "Ask, and tick only if the caller says yes. Needed for tasks at people's doors; "
                                "anyone can help from home.",
                                "Demandez, et ne cochez que si l'appelant dit oui. Nécessaire pour les tâches à "
                                "domicile ; tout le monde peut aider depuis chez soi.")),
        "details": (nl_en_fr("Wil de vrijwilliger nog iets kwijt?", "Anything else the volunteer tells?",
                             "Le bénévole a-t-il autre chose à dire ?"),
                    nl_en_fr("Bv. ervaring, een rijbewijs, hoeveel tijd. Geen medische gegevens.",
                             "E.g. experience, a driving licence, how much time. No medical details.",
                             "P. ex. expérience, permis de conduire, temps disponible. Pas de données médicales.")),
        **_CONSENTS,
    },
    "organisation": {
        "full_name": (nl_en_fr("Contactpersoon (de beller)", "Contact person (the caller)",
                               "Personne de contact (l'appelant)"), None),
        "phone": (nl_en_fr("Telefoonnummer van de contactpersoon", "The contact person's phone number",
                           "Téléphone de la personne de contact"), None),
        "email": (nl_en_fr("E-mailadres van de contactpersoon", "The contact person's e-mail address",
                           "Adresse e-mail de la personne de contact"), None),
        "languages": (nl_en_fr("Welke talen spreekt de contactpersoon?", "Which languages does the contact speak?",
                               "Quelles langues parle la personne de contact ?"), None),
        "tasks": (nl_en_fr("Waarvoor zoekt de organisatie vrijwilligers?", "What does the organisation need "
                           "volunteers for?", "Pour quoi l'organisation cherche-t-elle des bénévoles ?"), None),
        "details": (nl_en_fr("Wat vertelt de beller nog?", "What else does the caller say?",
                             "Qu'est-ce que l'appelant dit encore ?"), _NO_MEDICAL),
        **_CONSENTS,
    },
}

# Each language's own name, for the language switch (always shown in that language).
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English", "fr": "Français"}
