"""Every tab of the spreadsheet, in the order coordinators see them.

Intake tabs are generated from the forms, never copied: one per form and
language, laid out exactly as Google Forms writes its response sheet, so a
Google Form can be linked to its tab and the website can append to the same
tab. The master tabs live in cases.py.
"""

from __future__ import annotations

from .cases import REQUESTS, VOLUNTEERS, column
from .choices import CHANNEL_CHOICES
from .fields import COORDINATOR, LANGUAGES, SYSTEM, Choice, Column, Form, Labels, Tab
from .forms import FORMS
from .tasks import TASK_CHOICES

__all__ = [
    "AREAS_TAB", "INTAKE_TABS", "LOG_TAB", "PARTNERS_TAB", "PARTNER_FIELD_CHOICES",
    "REQUESTS", "STATS_TAB", "TABS", "TASKS_TAB", "VOLUNTEERS", "intake_tab", "tab",
]


def _t(nl: str, en: str, fr: str) -> Labels:
    return {"nl": nl, "en": en, "fr": fr}


# --- intake tabs -------------------------------------------------------------

# Google Forms' own header for its first column, per form language.
_TIMESTAMP = column("timestamp", SYSTEM, "datetime", _t("Tijdstempel", "Timestamp", "Horodateur"),
                    _t("Wanneer het formulier werd verzonden.", "When the form was submitted.",
                       "Date d'envoi du formulaire."))
# Added by the Apps Script and the website after Google's own columns.
_SUBMISSION_ID = column("submission_id", SYSTEM, "id", _t("Inzending-id", "Submission id", "N° de soumission"),
                        _t("Unieke code van de inzending; een herhaalde inzending krijgt geen tweede rij.",
                           "Unique code of the submission; a repeated submission gets no second row.",
                           "Code unique de la soumission ; une soumission répétée ne crée pas de deuxième ligne."))
_CHANNEL = column("channel", SYSTEM, "choice", _t("Kanaal", "Channel", "Canal"),
                  _t("Website, Google Formulier, telefoon of e-mail.", "Website, Google Form, phone or e-mail.",
                     "Site web, formulaire Google, téléphone ou e-mail."), choices=CHANNEL_CHOICES)
_ENTERED_BY = column("entered_by", SYSTEM, "text", _t("Ingevoerd door", "Entered by", "Saisi par"),
                     _t("De callcentermedewerker die de oproep invoerde; leeg voor formulieren van inwoners.",
                        "The call-centre agent who typed the call in; empty for residents' own forms.",
                        "L'agent du centre d'appels qui a saisi l'appel ; vide pour les formulaires des habitants."),
                     required=False)

# Tab titles name the form and the form's language, in the team's language.
_INTAKE_TITLES: dict[str, Labels] = {
    "request": _t("Hulpvragen {L} (formulier)", "Requests {L} (form)", "Demandes {L} (formulaire)"),
    "offer": _t("Hulpaanbod {L} (formulier)", "Offers {L} (form)", "Offres {L} (formulaire)"),
}


def intake_tab(form: Form, language: str) -> Tab:
    """The response tab of one form in one language, as Google Forms lays it out.

    Every column carries its labels in all languages; the Workbook writes the
    header in the form's own language (tab.language).
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    questions = tuple(
        Column(q.field_id, SYSTEM, q.type, dict(q.labels), dict(q.help), choices=q.choices,
               personal=q.personal)
        for q in form.questions
    )
    titles = {lang: text.format(L=language.upper()) for lang, text in _INTAKE_TITLES[form.id].items()}
    return Tab(
        id=f"intake_{form.id}_{language}",
        kind="intake",
        titles=titles,
        columns=(_TIMESTAMP, *questions, _SUBMISSION_ID, _CHANNEL, _ENTERED_BY),
        key="submission_id",
        form=form.id,
        language=language,
    )


INTAKE_TABS: tuple[Tab, ...] = tuple(
    intake_tab(form, language) for form in FORMS.values() for language in LANGUAGES
)

# --- reference tabs ------------------------------------------------------------

# "in het Nederlands", "in Dutch", "en néerlandais": the Tasks tab has one
# label and one description column per language.
_LANGUAGE_NAMES = {
    "nl": ("Nederlands", "Dutch", "néerlandais"),
    "en": ("Engels", "English", "anglais"),
    "fr": ("Frans", "French", "français"),
}

TASKS_TAB = Tab(
    id="tasks",
    kind="reference",
    titles=_t("Taken", "Tasks", "Tâches"),
    key="code",
    columns=(
        column("code", SYSTEM, "id", _t("Code", "Code", "Code"),
               _t("Vaste code van de taak.", "Fixed code of the task.", "Code fixe de la tâche.")),
        *(column(f"label_{lang}", SYSTEM, "text",
                 _t(f"Naam ({lang.upper()})", f"Name ({lang.upper()})", f"Nom ({lang.upper()})"),
                 _t(f"Naam van de taak in het {name[0]}.", f"Name of the task in {name[1]}.",
                    f"Nom de la tâche en {name[2]}."))
          for lang, name in _LANGUAGE_NAMES.items()),
        *(column(f"description_{lang}", SYSTEM, "longtext",
                 _t(f"Omschrijving ({lang.upper()})", f"Description ({lang.upper()})", f"Description ({lang.upper()})"),
                 _t(f"Wat de taak inhoudt, in het {name[0]}.", f"What the task involves, in {name[1]}.",
                    f"En quoi consiste la tâche, en {name[2]}."))
          for lang, name in _LANGUAGE_NAMES.items()),
        column("material", SYSTEM, "longtext", _t("Materiaal", "Material", "Matériel"),
               _t("Wat de vrijwilliger nodig heeft, in de taal van het team.",
                  "What the volunteer needs, in the team's language.",
                  "Ce dont le bénévole a besoin, dans la langue de l'équipe.")),
        column("profile", SYSTEM, "longtext", _t("Profiel", "Profile", "Profil"),
               _t("Wie de taak kan doen, in de taal van het team.", "Who can do the task, in the team's language.",
                  "Qui peut faire la tâche, dans la langue de l'équipe.")),
        column("in_person", SYSTEM, "bool", _t("Ter plaatse", "In person", "Sur place"),
               _t("Ja: aan huis of ter plaatse. Nee: van thuis uit.", "Yes: at the door or on site. No: from home.",
                  "Oui : à domicile ou sur place. Non : depuis chez soi.")),
        column("requires", SYSTEM, "list", _t("Vervoer nodig", "Transport needed", "Transport requis"),
               _t("De vrijwilliger heeft minstens één hiervan nodig; leeg: niets nodig.",
                  "The volunteer needs at least one of these; empty: nothing needed.",
                  "Le bénévole a besoin d'au moins un de ces moyens ; vide : rien de requis.")),
        column("collective", SYSTEM, "bool", _t("Gezamenlijk", "Collective", "Collective"),
               _t("Ja: een organisatie vraagt meerdere vrijwilligers tegelijk.",
                  "Yes: an organisation asks for several volunteers at once.",
                  "Oui : une organisation demande plusieurs bénévoles à la fois.")),
    ),
)

AREAS_TAB = Tab(
    id="areas",
    kind="reference",
    titles=_t("Gebieden", "Areas", "Zones"),
    key="postcode",
    columns=(
        column("postcode", SYSTEM, "postcode", _t("Postcode", "Postcode", "Code postal"),
               _t("Vier cijfers.", "Four digits.", "Quatre chiffres.")),
        column("name", SYSTEM, "text", _t("Naam", "Name", "Nom"),
               _t("Naam in de taal van het team.", "Name in the team's language.", "Nom dans la langue de l'équipe.")),
        column("lat", SYSTEM, "number", _t("Breedtegraad", "Latitude", "Latitude"),
               _t("Middelpunt van het gebied.", "Centre of the area.", "Centre de la zone.")),
        column("lng", SYSTEM, "number", _t("Lengtegraad", "Longitude", "Longitude"),
               _t("Middelpunt van het gebied.", "Centre of the area.", "Centre de la zone.")),
        column("province", SYSTEM, "text", _t("Provincie", "Province", "Province"),
               _t("Volgens de postcodereeksen van bpost; Brussel is een gewest, geen provincie.",
                  "From bpost's postcode ranges; Brussels is a region, not a province.",
                  "Selon les séries de codes postaux de bpost ; Bruxelles est une région, pas une province.")),
        column("region", SYSTEM, "text", _t("Gewest", "Region", "Région"),
               _t("Vlaanderen, Wallonië of Brussel.", "Flanders, Wallonia or Brussels.",
                  "Flandre, Wallonie ou Bruxelles."), required=False),
        column("neighbours", SYSTEM, "list", _t("Buurgebieden", "Neighbouring areas", "Zones voisines"),
               _t("Postcodes binnen 5 km, dichtstbij eerst: daar zoekt helpt als er in de eigen buurt niemand is.",
                  "Postcodes within 5 km, nearest first: helpt looks there when nobody fits nearby.",
                  "Codes postaux à moins de 5 km, du plus proche au plus éloigné : helpt y cherche si personne ne "
                  "convient.")),
    ),
)

# The volunteer fields a partner may be allowed to receive (never the address).
PARTNER_FIELD_CHOICES: tuple[Choice, ...] = (
    Choice("full_name", _t("Naam", "Name", "Nom")),
    Choice("phone", _t("Telefoon", "Phone", "Téléphone")),
    Choice("email", _t("E-mail", "E-mail", "E-mail")),
    Choice("postcode", _t("Postcode", "Postcode", "Code postal")),
    Choice("area", _t("Gebied", "Area", "Zone")),
    Choice("tasks", _t("Taken", "Tasks", "Tâches")),
    Choice("languages", _t("Talen", "Languages", "Langues")),
    Choice("transport", _t("Vervoer", "Transport", "Transport")),
    Choice("availability", _t("Beschikbaarheid", "Availability", "Disponibilité")),
)

# Partner rows are written by coordinators; helpt only reads them to export.
PARTNERS_TAB = Tab(
    id="partners",
    kind="reference",
    titles=_t("Partners", "Partners", "Partenaires"),
    key="partner_id",
    columns=(
        column("partner_id", COORDINATOR, "id", _t("Partner-id", "Partner id", "N° de partenaire"),
               _t("Korte vaste code, bv. P-ksa-heverlee.", "Short fixed code, e.g. P-ksa-heverlee.",
                  "Code court et fixe, p. ex. P-ksa-heverlee.")),
        column("name", COORDINATOR, "text", _t("Naam", "Name", "Nom"),
               _t("Buurtnetwerk, jeugdbeweging of studentenvoorziening.",
                  "Neighbourhood network, youth movement or student service.",
                  "Réseau de quartier, mouvement de jeunesse ou service aux étudiants.")),
        column("areas", COORDINATOR, "list", _t("Gebieden", "Areas", "Zones"),
               _t("Postcodes waar de partner actief is, gescheiden door komma's.",
                  "Postcodes where the partner works, separated by commas.",
                  "Codes postaux où le partenaire est actif, séparés par des virgules.")),
        column("tasks", COORDINATOR, "list", _t("Taken", "Tasks", "Tâches"),
               _t("Taken waarvoor de partner vrijwilligers inzet.", "Tasks the partner organises volunteers for.",
                  "Tâches pour lesquelles le partenaire mobilise des bénévoles."), choices=TASK_CHOICES),
        column("fields", COORDINATOR, "list", _t("Gedeelde velden", "Shared fields", "Champs partagés"),
               _t("Welke gegevens de partner mag krijgen; niets anders wordt gedeeld.",
                  "Which details the partner may receive; nothing else is shared.",
                  "Quelles données le partenaire peut recevoir ; rien d'autre n'est partagé."),
               choices=PARTNER_FIELD_CHOICES),
        column("destination", COORDINATOR, "text", _t("Bestemming", "Destination", "Destination"),
               _t("'nieuw': helpt maakt een spreadsheet voor de partner; of de link naar een nieuwe, lege "
                  "spreadsheet die met helpt gedeeld is; of een bestandsnaam (.xlsx/.csv). Nooit de link van "
                  "deze spreadsheet.",
                  "'new': helpt makes a spreadsheet for the partner; or the link to a new, empty spreadsheet "
                  "shared with helpt; or a file name (.xlsx/.csv). Never the link of this spreadsheet.",
                  "« nouveau » : helpt crée un tableur pour le partenaire ; ou le lien d'un tableur neuf et vide "
                  "partagé avec helpt ; ou un nom de fichier (.xlsx/.csv). Jamais le lien de ce tableur-ci.")),
        column("contact_email", COORDINATOR, "email",
               _t("E-mail contactpersoon", "Contact e-mail", "E-mail de contact"),
               _t("Wie bij de partner de lijst ontvangt.", "Who receives the list at the partner.",
                  "Qui reçoit la liste chez le partenaire."), personal=True),
        column("active", COORDINATOR, "bool", _t("Actief", "Active", "Actif"),
               _t("Nee: de partner krijgt geen nieuwe gegevens meer.", "No: the partner receives no new data.",
                  "Non : le partenaire ne reçoit plus de nouvelles données.")),
        column("extract", SYSTEM, "text", _t("Uittreksel", "Extract", "Extrait"),
               _t("Waar helpt het uittreksel van deze partner schrijft: een spreadsheet die helpt als uittreksel "
                  "markeerde, of een bestand in de map extracts.",
                  "Where helpt writes this partner's extract: a spreadsheet helpt marked as an extract, or a "
                  "file in the extracts folder.",
                  "Où helpt écrit l'extrait de ce partenaire : un tableur que helpt a marqué comme extrait, ou un "
                  "fichier du dossier extracts."), required=False),
        column("extract_status", SYSTEM, "longtext", _t("Stand uittreksel", "Extract status", "État de l'extrait"),
               _t("Wat de laatste synchronisatie met het uittreksel deed, of waarom ze niets schreef.",
                  "What the last sync did with the extract, or why it wrote nothing.",
                  "Ce que la dernière synchronisation a fait de l'extrait, ou pourquoi elle n'a rien écrit."),
               required=False),
    ),
)

# --- report tabs -------------------------------------------------------------

STATS_TAB = Tab(
    id="stats",
    kind="report",
    titles=_t("Cijfers", "Statistics", "Statistiques"),
    columns=(
        column("metric", SYSTEM, "text", _t("Meting", "Metric", "Mesure"),
               _t("Bv. hulpvragen per taak, aanbod per dag, gematcht.", "E.g. requests per task, offers per day, "
                                                                        "matched.",
                  "P. ex. demandes par tâche, offres par jour, attribuées.")),
        column("dimension", SYSTEM, "text", _t("Per", "By", "Par"),
               _t("De taak, taal, dag of status waarvoor geteld wordt.", "The task, language, day or status counted.",
                  "La tâche, la langue, le jour ou le statut compté.")),
        column("value", SYSTEM, "number", _t("Waarde", "Value", "Valeur"),
               _t("Het aantal.", "The count.", "Le nombre.")),
        column("updated_at", SYSTEM, "datetime", _t("Bijgewerkt op", "Updated at", "Mis à jour le"),
               _t("Wanneer helpt dit laatst telde.", "When helpt last counted this.", "Dernier comptage par helpt.")),
    ),
)

LOG_TAB = Tab(
    id="log",
    kind="report",
    titles=_t("Logboek", "Log", "Journal"),
    columns=(
        column("logged_at", SYSTEM, "datetime", _t("Tijdstip", "Logged at", "Horodatage"),
               _t("Wanneer de taak eindigde.", "When the job ended.", "Fin de la tâche.")),
        column("job", SYSTEM, "text", _t("Taak", "Job", "Tâche"),
               _t("sync, purge of partnerexport.", "sync, purge or partner export.", "sync, purge ou export "
                                                                                     "partenaire.")),
        column("duration_s", SYSTEM, "number", _t("Duur (s)", "Duration (s)", "Durée (s)"),
               _t("Hoe lang het duurde, in seconden.", "How long it took, in seconds.", "Durée, en secondes.")),
        column("rows_added", SYSTEM, "number", _t("Rijen toegevoegd", "Rows added", "Lignes ajoutées"),
               _t("Nieuwe hulpvragen en vrijwilligers.", "New requests and volunteers.", "Nouvelles demandes et "
                                                                                         "bénévoles.")),
        column("rows_changed", SYSTEM, "number", _t("Rijen gewijzigd", "Rows changed", "Lignes modifiées"),
               _t("Bestaande rijen die helpt bijwerkte.", "Existing rows helpt updated.",
                  "Lignes existantes mises à jour par helpt.")),
        column("duplicates_flagged", SYSTEM, "number", _t("Dubbels gemeld", "Duplicates flagged", "Doublons signalés"),
               _t("Nieuw gemelde mogelijke dubbels.", "Newly flagged possible duplicates.",
                  "Doublons possibles nouvellement signalés.")),
        column("api_calls", SYSTEM, "number", _t("API-oproepen", "API calls", "Appels API"),
               _t("Oproepen naar Google Sheets.", "Calls to Google Sheets.", "Appels à Google Sheets.")),
        column("details", SYSTEM, "longtext", _t("Details", "Details", "Détails"),
               _t("Fouten en waarschuwingen, zonder persoonsgegevens.", "Errors and warnings, without personal data.",
                  "Erreurs et avertissements, sans données personnelles.")),
    ),
)

# --- the whole spreadsheet -----------------------------------------------------

TABS: tuple[Tab, ...] = (
    REQUESTS, VOLUNTEERS, *INTAKE_TABS, TASKS_TAB, AREAS_TAB, PARTNERS_TAB, STATS_TAB, LOG_TAB,
)

_BY_ID = {t.id: t for t in TABS}


def tab(tab_id: str) -> Tab:
    """The tab with this id; KeyError names the unknown id."""
    try:
        return _BY_ID[tab_id]
    except KeyError:
        raise KeyError(f"unknown tab {tab_id!r}") from None
