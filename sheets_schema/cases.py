"""The two master tabs coordinators work in: Requests and Volunteers.

One row per request and one per *person* (a volunteer who offers three tasks
is one row with three tasks). helpt writes the system columns at every sync;
coordinators own status, screening, assignments, duplicate review and notes,
which helpt fills only once, when it creates the row.
"""

from __future__ import annotations

from .choices import (
    AVAILABILITY_CHOICES,
    CHANNEL_CHOICES,
    FORM_LANGUAGE_CHOICES,
    LANGUAGE_CHOICES,
    TRANSPORT_CHOICES,
)
from .fields import COORDINATOR, SYSTEM, Choice, Column, ColumnType, Labels, Owner, Tab, nl_en_fr
from .tasks import TASK_CHOICES


def column(id_: str, owner: Owner, type_: ColumnType, labels: Labels, help_: Labels,
           **options) -> Column:
    """A column; shorthand shared by every tab module."""
    return Column(id_, owner, type_, labels, help_, **options)


def _choice(code: str, nl: str, en: str, fr: str) -> Choice:
    return Choice(code, nl_en_fr(nl, en, fr))


REQUEST_STATUS_CHOICES = (
    _choice("new", "Nieuw", "New", "Nouveau"),
    _choice("in_progress", "In behandeling", "In progress", "En cours"),
    _choice("matched", "Gematcht", "Matched", "Attribué"),
    _choice("closed", "Afgesloten", "Closed", "Clôturé"),
    _choice("cancelled", "Geannuleerd", "Cancelled", "Annulé"),
)
SCREENING_CHOICES = (
    _choice("to_screen", "Te screenen", "To screen", "À vérifier"),
    _choice("approved", "Goedgekeurd", "Approved", "Approuvé"),
    _choice("rejected", "Afgewezen", "Rejected", "Refusé"),
)
VOLUNTEER_STATUS_CHOICES = (
    _choice("active", "Actief", "Active", "Actif"),
    _choice("paused", "Gepauzeerd", "Paused", "En pause"),
    _choice("withdrawn", "Gestopt", "Withdrawn", "Retiré"),
)
DUPLICATE_REVIEW_CHOICES = (
    _choice("not_duplicate", "Geen dubbel", "Not a duplicate", "Pas un doublon"),
    _choice("same_person", "Zelfde persoon", "Same person", "Même personne"),
)

# --- columns both master tabs share ----------------------------------------


def _bookkeeping() -> tuple[Column, ...]:
    """Where a row came from and when helpt last touched it."""
    return (
        column("created_at", SYSTEM, "datetime", nl_en_fr("Aangemaakt op", "Created at", "Créé le"),
               nl_en_fr("Wanneer de eerste inzending binnenkwam.", "When the first submission arrived.",
                  "Date de la première soumission.")),
        column("updated_at", SYSTEM, "datetime", nl_en_fr("Gewijzigd op", "Updated at", "Modifié le"),
               nl_en_fr("Laatste wijziging door een nieuwe inzending.", "Last change by a new submission.",
                  "Dernière modification par une nouvelle soumission.")),
        column("last_change", SYSTEM, "text", nl_en_fr("Laatste wijziging", "Last change", "Dernière modification"),
               nl_en_fr("Wat een latere inzending aan deze rij veranderde, wanneer en via welk formulier.",
                  "What a later submission changed on this row, when and through which form.",
                  "Ce qu'une soumission ultérieure a changé sur cette ligne, quand et par quel formulaire."),
               required=False),
        column("closed_at", SYSTEM, "datetime", nl_en_fr("Afgesloten op", "Closed at", "Clôturé le"),
               nl_en_fr("Wanneer helpt zag dat deze rij af is (hulpvraag gesloten of geannuleerd, vrijwilliger "
                  "gestopt of afgewezen). Met een bewaartermijn wist helpt de gegevens zoveel dagen later.",
                  "When helpt saw this row was finished (request closed or cancelled, volunteer withdrawn or "
                  "rejected). With a retention period, helpt erases the data that many days later.",
                  "Quand helpt a vu que cette ligne était terminée (demande clôturée ou annulée, bénévole "
                  "retiré ou refusé). Avec une durée de conservation, helpt efface les données ce nombre de "
                  "jours plus tard."), required=False),
        column("submission_ids", SYSTEM, "list", nl_en_fr("Inzendingen", "Submissions", "Soumissions"),
               nl_en_fr("De formulierinzendingen die in deze rij samenkomen.",
                  "The form submissions merged into this row.",
                  "Les soumissions de formulaire réunies dans cette ligne.")),
        column("channel", SYSTEM, "choice", nl_en_fr("Kanaal", "Channel", "Canal"),
               nl_en_fr("Website, Google Formulier, telefoon of e-mail.", "Website, Google Form, phone or e-mail.",
                  "Site web, formulaire Google, téléphone ou e-mail."), choices=CHANNEL_CHOICES),
        column("form_language", SYSTEM, "choice", nl_en_fr("Taal formulier", "Form language", "Langue du formulaire"),
               nl_en_fr("In welke taal het formulier werd ingevuld: antwoord in die taal.",
                  "The language the form was filled in: reply in that language.",
                  "Langue dans laquelle le formulaire a été rempli : répondez dans cette langue."),
               choices=FORM_LANGUAGE_CHOICES),
    )


def _contact() -> tuple[Column, ...]:
    """The person's normalised contact details and area."""
    return (
        column("full_name", SYSTEM, "text", nl_en_fr("Naam", "Name", "Nom"),
               nl_en_fr("Voornaam en achternaam.", "First name and surname.", "Prénom et nom."), personal=True),
        column("phone", SYSTEM, "phone", nl_en_fr("Telefoon", "Phone", "Téléphone"),
               nl_en_fr("Het eerste nummer dat de persoon gaf. Genormaliseerd naar +32…",
                        "The first number the person gave. Normalised to +32…",
                        "Le premier numéro donné par la personne. Normalisé en +32…"), personal=True),
        column("other_phones", SYSTEM, "text", nl_en_fr("Andere telefoons", "Other phones", "Autres téléphones"),
               nl_en_fr("Nummers uit latere inzendingen, bv. van wie voor de persoon belde. Niets wordt vervangen.",
                        "Numbers from later submissions, e.g. of someone who called for the person. Nothing is "
                        "replaced.",
                        "Numéros de soumissions ultérieures, p. ex. de qui a appelé pour la personne. Rien n'est "
                        "remplacé."), personal=True),
        column("email", SYSTEM, "email", nl_en_fr("E-mail", "E-mail", "E-mail"),
               nl_en_fr("In kleine letters.", "In lower case.", "En minuscules."), personal=True),
        column("street", SYSTEM, "text", nl_en_fr("Adres", "Address", "Adresse"),
               nl_en_fr("Straat en huisnummer.", "Street and house number.", "Rue et numéro."), personal=True),
        column("postcode", SYSTEM, "postcode", nl_en_fr("Postcode", "Postcode", "Code postal"),
               nl_en_fr("Vier cijfers.", "Four digits.", "Quatre chiffres.")),
        column("area", SYSTEM, "text", nl_en_fr("Gebied", "Area", "Zone"),
               nl_en_fr("De naam bij de postcode, uit de tab Gebieden.", "The postcode's name, from the Areas tab.",
                  "Le nom du code postal, de l'onglet Zones.")),
        column("languages", SYSTEM, "list", nl_en_fr("Talen", "Languages", "Langues"),
               nl_en_fr("Talen die de persoon spreekt.", "Languages the person speaks.",
                  "Langues parlées par la personne."), choices=LANGUAGE_CHOICES),
        column("tasks", SYSTEM, "list", nl_en_fr("Taken", "Tasks", "Tâches"),
               nl_en_fr("Codes uit de tab Taken.", "Codes from the Tasks tab.", "Codes de l'onglet Tâches."),
               choices=TASK_CHOICES),
    )


def _availability(help_: Labels) -> Column:
    return column("availability", SYSTEM, "list", nl_en_fr("Beschikbaarheid", "Availability", "Disponibilité"),
                  help_, choices=AVAILABILITY_CHOICES)


def _details() -> Column:
    return column("details", SYSTEM, "longtext", nl_en_fr("Uitleg", "Details", "Détails"),
                  nl_en_fr("Wat de persoon zelf schreef.", "What the person wrote.", "Ce que la personne a écrit."),
                  personal=True)


def _duplicates(what: Labels) -> tuple[Column, ...]:
    return (
        column("duplicate_of", SYSTEM, "text", nl_en_fr("Mogelijk dubbel van", "Possible duplicate "
                                                                               "of", "Doublon possible "
                                                                                                  "de"),
               what),
        column("duplicate_reason", SYSTEM, "text", nl_en_fr("Waarom dubbel", "Why a duplicate", "Pourquoi un doublon"),
               nl_en_fr("Bv. zelfde telefoon, zelfde e-mail, zelfde naam en postcode.",
                  "E.g. same phone, same e-mail, same name and postcode.",
                  "P. ex. même téléphone, même e-mail, même nom et code postal.")),
        column("duplicate_review", COORDINATOR, "choice",
               nl_en_fr("Dubbel nagekeken", "Duplicate review", "Vérification doublon"),
               nl_en_fr("Kies 'Geen dubbel' of 'Zelfde persoon'; helpt vraagt het dan niet meer.",
                  "Choose 'Not a duplicate' or 'Same person'; helpt then stops asking.",
                  "Choisissez « Pas un doublon » ou « Même personne » ; helpt ne le demande plus."),
               choices=DUPLICATE_REVIEW_CHOICES, required=True),
    )


def _notes() -> Column:
    return column("notes", COORDINATOR, "longtext", nl_en_fr("Notities", "Notes", "Notes"),
                  nl_en_fr("Vrij veld voor coördinatoren. Geen medische gegevens.",
                     "Free text for coordinators. No medical details.",
                     "Champ libre pour les coordinateurs. Pas de données médicales."),
                  personal=True)  # notes are about a person: purged like the rest


def _synced_at() -> Column:
    return column("synced_at", SYSTEM, "datetime", nl_en_fr("Gesynchroniseerd op", "Synced at", "Synchronisé le"),
                  nl_en_fr("Wanneer helpt deze rij laatst schreef.", "When helpt last wrote this row.",
                     "Dernière écriture de cette ligne par helpt."))


# --- Requests ----------------------------------------------------------------

REQUESTS = Tab(
    id="requests",
    kind="master",
    titles=nl_en_fr("Hulpvragen", "Requests", "Demandes"),
    key="request_id",
    # Order as a coordinator reads a case: who, what, suggested match, then bookkeeping.
    columns=(
        column("request_id", SYSTEM, "id", nl_en_fr("Hulpvraag-id", "Request id", "N° de demande"),
               nl_en_fr("Vaste code, bv. R-000123. Niet wijzigen.", "Fixed code, e.g. R-000123. Do not change.",
                  "Code fixe, p. ex. R-000123. Ne pas modifier.")),
        column("status", COORDINATOR, "choice", nl_en_fr("Status", "Status", "Statut"),
               nl_en_fr("Waar deze hulpvraag staat.", "Where this request stands.", "Où en est cette demande."),
               choices=REQUEST_STATUS_CHOICES, default="new"),
        column("assigned_volunteers", COORDINATOR, "list",
               nl_en_fr("Toegewezen vrijwilligers", "Assigned volunteers", "Bénévoles attribués"),
               nl_en_fr("Vrijwilliger-id's, bv. V-000456, gescheiden door komma's.",
                  "Volunteer ids, e.g. V-000456, separated by commas.",
                  "N° de bénévoles, p. ex. V-000456, séparés par des virgules."),
               pattern="[Vv]-[0-9]{6}"),
        column("coordinator", COORDINATOR, "text", nl_en_fr("Coördinator", "Coordinator", "Coordinateur"),
               nl_en_fr("Wie deze hulpvraag opvolgt.", "Who follows up this request.", "Qui suit cette demande.")),
        column("handover", SYSTEM, "longtext", nl_en_fr("Overdracht", "Handover", "Transmission"),
               nl_en_fr("Waar de overdracht staat: zet de status op Gematcht en helpt mailt de toegewezen "
                        "vrijwilliger de vraag (zonder adres); na een ja krijgt die de gegevens en hoort de "
                        "bewoner het.",
                        "Where the handover stands: set the status to Matched and helpt mails the assigned "
                        "volunteer the request (without address); after a yes they get the details and the "
                        "resident is told.",
                        "Où en est la transmission : mettez le statut sur Attribué et helpt envoie la demande au "
                        "bénévole attribué (sans adresse) ; après un oui, il reçoit les coordonnées et "
                        "l'habitant est prévenu."),
               required=False),
        *_contact(),
        _availability(nl_en_fr("Wanneer de hulp het best past.", "When help suits best.", "Quand l'aide convient le "
                                                                                          "mieux.")),
        _details(),
        column("on_behalf_of", SYSTEM, "text", nl_en_fr("Ingevuld door", "Filled in by", "Rempli par"),
               nl_en_fr("Naam en telefoon van wie de vraag voor iemand anders stelde.",
                  "Name and phone of whoever asked on someone else's behalf.",
                  "Nom et téléphone de la personne qui a demandé pour quelqu'un d'autre."), personal=True),
        column("organisation", SYSTEM, "text", nl_en_fr("Organisatie", "Organisation", "Organisation"),
               nl_en_fr("Voor gezamenlijke taken: de organisatie die vrijwilligers vraagt.",
                  "For collective tasks: the organisation asking for volunteers.",
                  "Pour les tâches collectives : l'organisation qui demande des bénévoles.")),
        column("needed_count", SYSTEM, "number", nl_en_fr("Aantal nodig", "Number needed", "Nombre nécessaire"),
               nl_en_fr("Hoeveel vrijwilligers de organisatie zoekt.", "How many volunteers the organisation needs.",
                  "Nombre de bénévoles recherchés par l'organisation.")),
        *(column(f"suggestion_{n}", SYSTEM, "text",
                 nl_en_fr(f"Voorstel {n}", f"Suggestion {n}", f"Suggestion {n}"),
                 nl_en_fr(f"Voorgestelde vrijwilliger nr. {n}: id, naam en waarom.",
                    f"Suggested volunteer no. {n}: id, name and why.",
                    f"Bénévole suggéré n° {n} : numéro, nom et pourquoi."))
          for n in (1, 2, 3)),
        column("suggested_group", SYSTEM, "list", nl_en_fr("Voorgestelde groep", "Suggested group", "Groupe suggéré"),
               nl_en_fr("Vraagt een organisatie meerdere vrijwilligers: de id's van alle voorgestelde, beste eerst.",
                  "When an organisation needs several volunteers: the ids of all suggested, best first.",
                  "Si une organisation demande plusieurs bénévoles : les numéros de tous les suggérés, le meilleur "
                  "d'abord.")),
        column("suggestion_score", SYSTEM, "number", nl_en_fr("Score voorstel", "Suggestion score", "Score de la "
                                                                                                    "suggestion"),
               nl_en_fr("Hoe goed voorstel 1 past: uitstekend, goed, redelijk of zwak, met de score van 0 tot 100. "
                  "100 is ter plaatse, gescreend en zonder lopende hulpvragen; hoe verder, ongescreend of drukker, "
                  "hoe lager.",
                  "How well suggestion 1 fits: excellent, good, fair or weak, with its score from 0 to 100. 100 is "
                  "on the spot, screened and with no open cases; further away, unscreened or busier scores lower.",
                  "Adéquation de la suggestion 1 : excellent, bon, moyen ou faible, avec le score de 0 à 100. 100 : "
                  "sur place, vérifié et sans demande en cours ; plus loin, non vérifié ou plus occupé : plus bas.")),
        column("no_match_reason", SYSTEM, "text", nl_en_fr("Waarom geen "
                                                           "voorstel", "Why no suggestion", "Pourquoi aucune "
                                                                                                  "suggestion"),
               nl_en_fr("Bv. geen goedgekeurde vrijwilliger met auto in de buurt.",
                  "E.g. no approved volunteer with a car nearby.",
                  "P. ex. aucun bénévole approuvé avec voiture à proximité.")),
        column("assignment_warning", SYSTEM, "text", nl_en_fr("Let op bij toewijzing", "Assignment "
                                                                                       "warning", "Attention à "
                                                                                                       "l'attribution"),
               nl_en_fr("Bv. de toegewezen vrijwilliger is gepauzeerd of niet goedgekeurd.",
                  "E.g. the assigned volunteer is paused or not approved.",
                  "P. ex. le bénévole attribué est en pause ou non approuvé.")),
        *_duplicates(nl_en_fr("Id van een andere hulpvraag die op deze lijkt.", "Id of another request that looks like "
                                                                          "this one.",
                        "N° d'une autre demande qui ressemble à celle-ci.")),
        _notes(),
        *_bookkeeping(),
        _synced_at(),
    ),
)

# --- Volunteers ----------------------------------------------------------------

VOLUNTEERS = Tab(
    id="volunteers",
    kind="master",
    titles=nl_en_fr("Vrijwilligers", "Volunteers", "Bénévoles"),
    key="volunteer_id",
    columns=(
        column("volunteer_id", SYSTEM, "id", nl_en_fr("Vrijwilliger-id", "Volunteer id", "N° de bénévole"),
               nl_en_fr("Vaste code, bv. V-000456. Niet wijzigen.", "Fixed code, e.g. V-000456. Do not change.",
                  "Code fixe, p. ex. V-000456. Ne pas modifier.")),
        column("screening", COORDINATOR, "choice", nl_en_fr("Screening", "Screening", "Vérification"),
               nl_en_fr("Goedgekeurde vrijwilligers komen eerst in de voorstellen; alleen zij worden gedeeld met "
                        "partners. "
                  "Afgewezen vrijwilligers worden nooit voorgesteld.",
                  "Approved volunteers come first in suggestions; only they are shared with partners. Rejected "
                  "volunteers are never suggested.",
                  "Les bénévoles approuvés passent en premier dans les suggestions ; eux seuls sont partagés avec "
                  "les partenaires. Les bénévoles refusés ne sont jamais suggérés."),
               choices=SCREENING_CHOICES, default="to_screen"),
        column("status", COORDINATOR, "choice", nl_en_fr("Status", "Status", "Statut"),
               nl_en_fr("Gepauzeerde of gestopte vrijwilligers worden niet voorgesteld.",
                  "Paused or withdrawn volunteers are not suggested.",
                  "Les bénévoles en pause ou retirés ne sont pas suggérés."),
               choices=VOLUNTEER_STATUS_CHOICES, default="active"),
        column("own_choice", SYSTEM, "text", nl_en_fr("Eigen keuze", "Own choice", "Choix personnel"),
               nl_en_fr("De vrijwilliger pauzeerde of stopte zelf, met de link in de bedankmail: telt als "
                        "gepauzeerd of gestopt, wat de status ook zegt.",
                        "The volunteer paused or stopped themselves, with the link in the thank-you mail: counts as "
                        "paused or withdrawn, whatever the status says.",
                        "Le bénévole s'est mis en pause ou a arrêté lui-même, par le lien du mail de remerciement : "
                        "compte comme en pause ou retiré, quel que soit le statut."),
               required=False),
        column("screen_first_for", SYSTEM, "text", nl_en_fr("Eerst screenen voor", "Screen first for", "À vérifier "
                                                                                                       "d'abord "
                                                                                                 "pour"),
               nl_en_fr("Hulpvragen waarvoor deze nog niet gescreende vrijwilliger wordt voorgesteld: screen deze "
                  "vrijwilliger eerst.",
                  "Requests for which this not yet screened volunteer is suggested: screen this volunteer first.",
                  "Demandes pour lesquelles ce bénévole pas encore vérifié est suggéré : vérifiez-le en premier.")),
        column("open_cases", SYSTEM, "number", nl_en_fr("Lopende hulpvragen", "Open cases", "Demandes en cours"),
               nl_en_fr("Aan hoeveel niet-afgesloten hulpvragen deze vrijwilliger is toegewezen.",
                  "How many open requests this volunteer is assigned to.",
                  "Nombre de demandes en cours attribuées à ce bénévole.")),
        column("cases", SYSTEM, "longtext", nl_en_fr("Zijn hulpvragen", "Their cases", "Ses demandes"),
               nl_en_fr("De niet-afgesloten hulpvragen waaraan de vrijwilliger is toegewezen: id, voornaam, "
                        "telefoon en gebied van wie hulp vraagt, om de vrijwilliger over een geval te bellen.",
                        "The open requests this volunteer is assigned to: id, first name, phone and area of who "
                        "asked, to phone the volunteer about a case.",
                        "Les demandes en cours attribuées au bénévole : n°, prénom, téléphone et zone du "
                        "demandeur, pour appeler le bénévole à propos d'un cas."),
               personal=True, required=False),
        *_contact(),
        column("transport", SYSTEM, "list", nl_en_fr("Vervoer", "Transport", "Transport"),
               nl_en_fr("Hoe de vrijwilliger zich verplaatst.", "How the volunteer gets around.",
                  "Comment le bénévole se déplace."), choices=TRANSPORT_CHOICES),
        _availability(nl_en_fr("Wanneer de vrijwilliger kan helpen.", "When the volunteer can help.",
                         "Quand le bénévole peut aider.")),
        column("profile_ok", SYSTEM, "bool", nl_en_fr("Profiel ok", "Profile ok", "Profil ok"),
               nl_en_fr("Verklaarde 16–60 jaar, gezond, zonder symptomen, geen risicogroep. Nee: enkel taken van "
                        "thuis uit.",
                  "Declared 16–60, healthy, no symptoms, not in a risk group. No: tasks from home only.",
                  "A déclaré 16–60 ans, en bonne santé, sans symptômes, hors groupe à risque. Non : tâches depuis "
                  "chez soi seulement.")),
        column("consent_partners", SYSTEM, "bool", nl_en_fr("Delen met partners", "Share with partners", "Partage avec "
                                                                                                   "partenaires"),
               nl_en_fr("Ja: mag na goedkeuring doorgegeven worden aan partners in de buurt.",
                  "Yes: may be passed to partners in the area once approved.",
                  "Oui : peut être transmis aux partenaires du quartier après approbation.")),
        _details(),
        *_duplicates(nl_en_fr("Id van een andere vrijwilliger die dezelfde persoon lijkt.",
                        "Id of another volunteer who looks like the same person.",
                        "N° d'un autre bénévole qui semble être la même personne.")),
        _notes(),
        *_bookkeeping(),
        _synced_at(),
    ),
)
