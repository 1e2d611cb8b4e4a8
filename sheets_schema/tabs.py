"""Every tab of the spreadsheet, in the order coordinators see them.

Intake tabs are generated from the forms, never copied: one per form and
language, laid out exactly as Google Forms writes its response sheet, so a
Google Form can be linked to its tab and the website can append to the same
tab. The master tabs live in cases.py.
"""

from __future__ import annotations

from .cases import REQUESTS, VOLUNTEERS, column
from .choices import CHANNEL_CHOICES
from .fields import COORDINATOR, LANGUAGES, SYSTEM, Chart, Choice, Column, Form, Labels, Tab, nl_en_fr
from .forms import FORMS
from .tasks import TASK_CHOICES

__all__ = [
    "AREAS_TAB", "INTAKE_TABS", "LOG_TAB", "PARTNERS_TAB", "PARTNER_FIELD_CHOICES",
    "OVERVIEW_TAB", "REQUESTS", "STATS_TAB", "TABS", "TASKS_TAB", "VOLUNTEERS", "intake_tab", "tab",
]



# --- intake tabs -------------------------------------------------------------

# Google Forms' own header for its first column, per form language.
_TIMESTAMP = column("timestamp", SYSTEM, "datetime", nl_en_fr("Tijdstempel", "Timestamp", "Horodateur"),
                    nl_en_fr("Wanneer het formulier werd verzonden.", "When the form was submitted.",
                       "Date d'envoi du formulaire."))
# Added by the Apps Script and the website after Google's own columns.
_SUBMISSION_ID = column("submission_id", SYSTEM, "id", nl_en_fr("Inzending-id", "Submission id", "N° de soumission"),
                        nl_en_fr("Unieke code van de inzending; een herhaalde inzending krijgt geen tweede rij.",
                           "Unique code of the submission; a repeated submission gets no second row.",
                           "Code unique de la soumission ; une soumission répétée ne crée pas de deuxième ligne."))
_CHANNEL = column("channel", SYSTEM, "choice", nl_en_fr("Kanaal", "Channel", "Canal"),
                  nl_en_fr("Website, Google Formulier, telefoon of e-mail.", "Website, Google Form, phone or e-mail.",
                     "Site web, formulaire Google, téléphone ou e-mail."), choices=CHANNEL_CHOICES)
_ENTERED_BY = column("entered_by", SYSTEM, "text", nl_en_fr("Ingevoerd door", "Entered by", "Saisi par"),
                     nl_en_fr("De callcentermedewerker die de oproep invoerde; leeg voor formulieren van inwoners.",
                        "The call-centre agent who typed the call in; empty for residents' own forms.",
                        "L'agent du centre d'appels qui a saisi l'appel ; vide pour les formulaires des habitants."),
                     required=False)

# Tab titles name the form and the form's language, in the team's language.
_INTAKE_TITLES: dict[str, Labels] = {
    "request": nl_en_fr("Hulpvragen {L} (formulier)", "Requests {L} (form)", "Demandes {L} (formulaire)"),
    "offer": nl_en_fr("Hulpaanbod {L} (formulier)", "Offers {L} (form)", "Offres {L} (formulaire)"),
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
    titles=nl_en_fr("Taken", "Tasks", "Tâches"),
    key="code",
    columns=(
        column("code", SYSTEM, "id", nl_en_fr("Code", "Code", "Code"),
               nl_en_fr("Vaste code van de taak.", "Fixed code of the task.", "Code fixe de la tâche.")),
        *(column(f"label_{lang}", SYSTEM, "text",
                 nl_en_fr(f"Naam ({lang.upper()})", f"Name ({lang.upper()})", f"Nom ({lang.upper()})"),
                 nl_en_fr(f"Naam van de taak in het {name[0]}.", f"Name of the task in {name[1]}.",
                    f"Nom de la tâche en {name[2]}."))
          for lang, name in _LANGUAGE_NAMES.items()),
        *(column(f"description_{lang}", SYSTEM, "longtext",
                 nl_en_fr(f"Omschrijving ({lang.upper()})", f"Description ({lang.upper()})", f"Description "
                                                                                             f"({lang.upper()})"),
                 nl_en_fr(f"Wat de taak inhoudt, in het {name[0]}.", f"What the task involves, in {name[1]}.",
                    f"En quoi consiste la tâche, en {name[2]}."))
          for lang, name in _LANGUAGE_NAMES.items()),
        column("material", SYSTEM, "longtext", nl_en_fr("Materiaal", "Material", "Matériel"),
               nl_en_fr("Wat de vrijwilliger nodig heeft, in de taal van het team.",
                  "What the volunteer needs, in the team's language.",
                  "Ce dont le bénévole a besoin, dans la langue de l'équipe.")),
        column("profile", SYSTEM, "longtext", nl_en_fr("Profiel", "Profile", "Profil"),
               nl_en_fr("Wie de taak kan doen, in de taal van het team.", "Who can do the task, in the team's "
                                                                          "language.",
                  "Qui peut faire la tâche, dans la langue de l'équipe.")),
        column("in_person", SYSTEM, "bool", nl_en_fr("Ter plaatse", "In person", "Sur place"),
               nl_en_fr("Ja: aan huis of ter plaatse. Nee: van thuis uit.", "Yes: at the door or on site. No: from "
                                                                            "home.",
                  "Oui : à domicile ou sur place. Non : depuis chez soi.")),
        column("requires", SYSTEM, "list", nl_en_fr("Vervoer nodig", "Transport needed", "Transport requis"),
               nl_en_fr("De vrijwilliger heeft minstens één hiervan nodig; leeg: niets nodig.",
                  "The volunteer needs at least one of these; empty: nothing needed.",
                  "Le bénévole a besoin d'au moins un de ces moyens ; vide : rien de requis.")),
        column("collective", SYSTEM, "bool", nl_en_fr("Gezamenlijk", "Collective", "Collective"),
               nl_en_fr("Ja: een organisatie vraagt meerdere vrijwilligers tegelijk.",
                  "Yes: an organisation asks for several volunteers at once.",
                  "Oui : une organisation demande plusieurs bénévoles à la fois.")),
        *(column(f"tips_{lang}", COORDINATOR, "longtext",
                 nl_en_fr(f"Tips ({lang.upper()})", f"Tips ({lang.upper()})", f"Conseils ({lang.upper()})"),
                 nl_en_fr(f"Praktische tips in het {name[0]}, gemaild aan wie de taak aanvaardt. Pas gerust aan.",
                          f"Practical tips in {name[1]}, mailed to whoever accepts the task. Reword them freely.",
                          f"Conseils pratiques en {name[2]}, envoyés à qui accepte la tâche. Adaptez-les "
                          "librement."),
                 required=False)
          for lang, name in _LANGUAGE_NAMES.items()),
    ),
)

AREAS_TAB = Tab(
    id="areas",
    kind="reference",
    titles=nl_en_fr("Gebieden", "Areas", "Zones"),
    key="postcode",
    columns=(
        column("postcode", SYSTEM, "postcode", nl_en_fr("Postcode", "Postcode", "Code postal"),
               nl_en_fr("Vier cijfers.", "Four digits.", "Quatre chiffres.")),
        column("name", SYSTEM, "text", nl_en_fr("Naam", "Name", "Nom"),
               nl_en_fr("Naam in de taal van het team.", "Name in the team's language.", "Nom dans la langue de "
                                                                                         "l'équipe.")),
        column("lat", SYSTEM, "number", nl_en_fr("Breedtegraad", "Latitude", "Latitude"),
               nl_en_fr("Middelpunt van het gebied.", "Centre of the area.", "Centre de la zone.")),
        column("lng", SYSTEM, "number", nl_en_fr("Lengtegraad", "Longitude", "Longitude"),
               nl_en_fr("Middelpunt van het gebied.", "Centre of the area.", "Centre de la zone.")),
        column("province", SYSTEM, "text", nl_en_fr("Provincie", "Province", "Province"),
               nl_en_fr("Volgens de postcodereeksen van bpost; Brussel is een gewest, geen provincie.",
                  "From bpost's postcode ranges; Brussels is a region, not a province.",
                  "Selon les séries de codes postaux de bpost ; Bruxelles est une région, pas une province.")),
        column("region", SYSTEM, "text", nl_en_fr("Gewest", "Region", "Région"),
               nl_en_fr("Vlaanderen, Wallonië of Brussel.", "Flanders, Wallonia or Brussels.",
                  "Flandre, Wallonie ou Bruxelles."), required=False),
        column("neighbours", SYSTEM, "list", nl_en_fr("Buurgebieden", "Neighbouring areas", "Zones voisines"),
               nl_en_fr("Postcodes binnen 5 km, dichtstbij eerst: daar zoekt helpt als er in de eigen buurt niemand "
                        "is.",
                  "Postcodes within 5 km, nearest first: helpt looks there when nobody fits nearby.",
                  "Codes postaux à moins de 5 km, du plus proche au plus éloigné : helpt y cherche si personne ne "
                  "convient.")),
    ),
)

# The volunteer fields a partner may be allowed to receive (never the address).
PARTNER_FIELD_CHOICES: tuple[Choice, ...] = (
    Choice("full_name", nl_en_fr("Naam", "Name", "Nom")),
    Choice("phone", nl_en_fr("Telefoon", "Phone", "Téléphone")),
    Choice("email", nl_en_fr("E-mail", "E-mail", "E-mail")),
    Choice("postcode", nl_en_fr("Postcode", "Postcode", "Code postal")),
    Choice("area", nl_en_fr("Gebied", "Area", "Zone")),
    Choice("tasks", nl_en_fr("Taken", "Tasks", "Tâches")),
    Choice("languages", nl_en_fr("Talen", "Languages", "Langues")),
    Choice("transport", nl_en_fr("Vervoer", "Transport", "Transport")),
    Choice("availability", nl_en_fr("Beschikbaarheid", "Availability", "Disponibilité")),
)

# Partner rows are written by coordinators; helpt only reads them to export.
PARTNERS_TAB = Tab(
    id="partners",
    kind="reference",
    titles=nl_en_fr("Partners", "Partners", "Partenaires"),
    key="partner_id",
    columns=(
        column("partner_id", COORDINATOR, "id", nl_en_fr("Partner-id", "Partner id", "N° de partenaire"),
               nl_en_fr("Korte vaste code, bv. P-ksa-heverlee.", "Short fixed code, e.g. P-ksa-heverlee.",
                  "Code court et fixe, p. ex. P-ksa-heverlee.")),
        column("name", COORDINATOR, "text", nl_en_fr("Naam", "Name", "Nom"),
               nl_en_fr("Buurtnetwerk, jeugdbeweging of studentenvoorziening.",
                  "Neighbourhood network, youth movement or student service.",
                  "Réseau de quartier, mouvement de jeunesse ou service aux étudiants.")),
        column("areas", COORDINATOR, "list", nl_en_fr("Gebieden", "Areas", "Zones"),
               nl_en_fr("Postcodes waar de partner actief is, gescheiden door komma's.",
                  "Postcodes where the partner works, separated by commas.",
                  "Codes postaux où le partenaire est actif, séparés par des virgules.")),
        column("tasks", COORDINATOR, "list", nl_en_fr("Taken", "Tasks", "Tâches"),
               nl_en_fr("Taken waarvoor de partner vrijwilligers inzet.", "Tasks the partner organises volunteers for.",
                  "Tâches pour lesquelles le partenaire mobilise des bénévoles."), choices=TASK_CHOICES),
        column("fields", COORDINATOR, "list", nl_en_fr("Gedeelde velden", "Shared fields", "Champs partagés"),
               nl_en_fr("Welke gegevens de partner mag krijgen; niets anders wordt gedeeld.",
                  "Which details the partner may receive; nothing else is shared.",
                  "Quelles données le partenaire peut recevoir ; rien d'autre n'est partagé."),
               choices=PARTNER_FIELD_CHOICES),
        column("destination", COORDINATOR, "text", nl_en_fr("Bestemming", "Destination", "Destination"),
               nl_en_fr("'nieuw': helpt maakt een spreadsheet voor de partner; of de link naar een nieuwe, lege "
                  "spreadsheet die met helpt gedeeld is; of een bestandsnaam (.xlsx/.csv). Nooit de link van "
                  "deze spreadsheet.",
                  "'new': helpt makes a spreadsheet for the partner; or the link to a new, empty spreadsheet "
                  "shared with helpt; or a file name (.xlsx/.csv). Never the link of this spreadsheet.",
                  "« nouveau » : helpt crée un tableur pour le partenaire ; ou le lien d'un tableur neuf et vide "
                  "partagé avec helpt ; ou un nom de fichier (.xlsx/.csv). Jamais le lien de ce tableur-ci.")),
        column("contact_email", COORDINATOR, "email",
               nl_en_fr("E-mail contactpersoon", "Contact e-mail", "E-mail de contact"),
               nl_en_fr("Wie bij de partner de lijst ontvangt.", "Who receives the list at the partner.",
                  "Qui reçoit la liste chez le partenaire."), personal=True),
        column("active", COORDINATOR, "bool", nl_en_fr("Actief", "Active", "Actif"),
               nl_en_fr("Nee: de partner krijgt geen nieuwe gegevens meer.", "No: the partner receives no new data.",
                  "Non : le partenaire ne reçoit plus de nouvelles données.")),
        column("extract", SYSTEM, "text", nl_en_fr("Uittreksel", "Extract", "Extrait"),
               nl_en_fr("Waar helpt het uittreksel van deze partner schrijft: een spreadsheet die helpt als uittreksel "
                  "markeerde, of een bestand in de map extracts.",
                  "Where helpt writes this partner's extract: a spreadsheet helpt marked as an extract, or a "
                  "file in the extracts folder.",
                  "Où helpt écrit l'extrait de ce partenaire : un tableur que helpt a marqué comme extrait, ou un "
                  "fichier du dossier extracts."), required=False),
        column("extract_status", SYSTEM, "longtext",
               nl_en_fr("Stand uittreksel", "Extract status", "État de l'extrait"),
               nl_en_fr("Wat de laatste synchronisatie met het uittreksel deed, of waarom ze niets schreef.",
                  "What the last sync did with the extract, or why it wrote nothing.",
                  "Ce que la dernière synchronisation a fait de l'extrait, ou pourquoi elle n'a rien écrit."),
               required=False),
    ),
)

# --- report tabs -------------------------------------------------------------

STATS_TAB = Tab(
    id="stats",
    kind="report",
    titles=nl_en_fr("Cijfers", "Statistics", "Statistiques"),
    columns=(
        column("metric", SYSTEM, "text", nl_en_fr("Meting", "Metric", "Mesure"),
               nl_en_fr("Bv. hulpvragen per taak, aanbod per dag, gematcht.", "E.g. requests per task, offers per day, "
                                                                        "matched.",
                  "P. ex. demandes par tâche, offres par jour, attribuées.")),
        column("dimension", SYSTEM, "text", nl_en_fr("Per", "By", "Par"),
               nl_en_fr("De taak, taal, dag of status waarvoor geteld wordt.", "The task, language, day or status "
                                                                               "counted.",
                  "La tâche, la langue, le jour ou le statut compté.")),
        column("value", SYSTEM, "number", nl_en_fr("Waarde", "Value", "Valeur"),
               nl_en_fr("Het aantal.", "The count.", "Le nombre.")),
        column("updated_at", SYSTEM, "datetime", nl_en_fr("Bijgewerkt op", "Updated at", "Mis à jour le"),
               nl_en_fr("Wanneer helpt dit laatst telde.", "When helpt last counted this.", "Dernier comptage par "
                                                                                            "helpt.")),
    ),
)

def _count(id_: str, labels: Labels, help_: Labels) -> Column:
    return column(id_, SYSTEM, "number", labels, help_)


# Where help is short: four tables side by side, each a block of columns, with two charts beside them.
OVERVIEW_TAB = Tab(
    id="overview",
    kind="report",
    titles=nl_en_fr("Overzicht", "Overview", "Aperçu"),
    columns=(
        column("summary", SYSTEM, "text", nl_en_fr("Waar hulp tekortschiet", "Where help is short",
                                                   "Où l'aide manque"),
               nl_en_fr("Per gebied en taak, de grootste tekorten eerst: open hulpvragen, vrije goedgekeurde "
                        "vrijwilligers en vrijwilligers die nog gescreend moeten worden.",
                        "Per area and task, the largest shortfalls first: open requests, free approved "
                        "volunteers and volunteers still to screen.",
                        "Par zone et tâche, les plus grands manques d'abord : demandes ouvertes, bénévoles "
                        "approuvés libres et bénévoles encore à vérifier.")),
        column("area", SYSTEM, "text", nl_en_fr("Gebied", "Area", "Zone"),
               nl_en_fr("Het gebied van de postcode; taken van thuis uit gelden overal.",
                        "The postcode's area; tasks done from home count everywhere.",
                        "La zone du code postal ; les tâches depuis chez soi comptent partout.")),
        column("task", SYSTEM, "text", nl_en_fr("Taak", "Task", "Tâche"),
               nl_en_fr("De gevraagde taak.", "The task asked for.", "La tâche demandée.")),
        _count("open_requests", nl_en_fr("Open hulpvragen", "Open requests", "Demandes ouvertes"),
               nl_en_fr("Hulpvragen met status Nieuw of In behandeling.", "Requests with status New or In progress.",
                        "Demandes au statut Nouveau ou En cours.")),
        _count("free_volunteers", nl_en_fr("Vrije vrijwilligers", "Free volunteers", "Bénévoles libres"),
               nl_en_fr("Goedgekeurd, actief en met ruimte voor nog een hulpvraag.",
                        "Approved, active and with room for another request.",
                        "Approuvés, actifs et disponibles pour une autre demande.")),
        _count("to_screen", nl_en_fr("Te screenen", "To screen", "À vérifier"),
               nl_en_fr("Actieve vrijwilligers die nog gescreend moeten worden.",
                        "Active volunteers still to be screened.", "Bénévoles actifs encore à vérifier.")),
        _count("shortfall", nl_en_fr("Tekort", "Shortfall", "Manque"),
               nl_en_fr("Open hulpvragen min vrije vrijwilligers (nooit onder nul).",
                        "Open requests minus free volunteers (never below zero).",
                        "Demandes ouvertes moins bénévoles libres (jamais sous zéro).")),
        column("area_total", SYSTEM, "text", nl_en_fr("Per gebied", "Per area", "Par zone"),
               nl_en_fr("Elk gebied met open hulpvragen of vrijwilligers, alle taken samen.",
                        "Every area with open requests or volunteers, all tasks together.",
                        "Chaque zone avec des demandes ouvertes ou des bénévoles, toutes tâches confondues.")),
        _count("area_open", nl_en_fr("Open hulpvragen (gebied)", "Open requests (area)", "Demandes ouvertes (zone)"),
               nl_en_fr("Open hulpvragen in het gebied.", "Open requests in the area.",
                        "Demandes ouvertes de la zone.")),
        _count("area_free", nl_en_fr("Vrije vrijwilligers (gebied)", "Free volunteers (area)",
                                     "Bénévoles libres (zone)"),
               nl_en_fr("Vrije goedgekeurde vrijwilligers die in het gebied wonen.",
                        "Free approved volunteers living in the area.",
                        "Bénévoles approuvés libres habitant la zone.")),
        column("language", SYSTEM, "text", nl_en_fr("Per taal", "Per language", "Par langue"),
               nl_en_fr("Elke taal die open hulpvragen spreken: wie een taal spreekt die weinig vrijwilligers "
                        "spreken, wacht langer.",
                        "Every language open requests speak: who speaks a language few volunteers speak waits "
                        "longer.",
                        "Chaque langue des demandes ouvertes : qui parle une langue que peu de bénévoles parlent "
                        "attend plus longtemps.")),
        _count("language_open", nl_en_fr("Open hulpvragen (taal)", "Open requests (language)",
                                         "Demandes ouvertes (langue)"),
               nl_en_fr("Open hulpvragen van wie deze taal spreekt.", "Open requests of people who speak it.",
                        "Demandes ouvertes de personnes qui la parlent.")),
        _count("language_free", nl_en_fr("Vrije vrijwilligers (taal)", "Free volunteers (language)",
                                          "Bénévoles libres (langue)"),
               nl_en_fr("Vrije goedgekeurde vrijwilligers die deze taal spreken.",
                        "Free approved volunteers who speak it.", "Bénévoles approuvés libres qui la parlent.")),
        column("day", SYSTEM, "date", nl_en_fr("Dag", "Day", "Jour"),
               nl_en_fr("Elke dag met inzendingen.", "Every day with submissions.",
                        "Chaque jour avec des soumissions.")),
        _count("requests_day", nl_en_fr("Hulpvragen per dag", "Requests per day", "Demandes par jour"),
               nl_en_fr("Ingevulde hulpvraagformulieren die dag.", "Request forms filled in that day.",
                        "Formulaires de demande remplis ce jour-là.")),
        _count("offers_day", nl_en_fr("Aanbod per dag", "Offers per day", "Offres par jour"),
               nl_en_fr("Ingevulde aanbodformulieren die dag.", "Offer forms filled in that day.",
                        "Formulaires d'offre remplis ce jour-là.")),
        column("updated_at", SYSTEM, "datetime", nl_en_fr("Bijgewerkt op", "Updated at", "Mis à jour le"),
               nl_en_fr("Wanneer helpt dit laatst telde.", "When helpt last counted this.",
                        "Dernier comptage par helpt.")),
    ),
    charts=(
        Chart("per_day", nl_en_fr("Hulpvragen en aanbod per dag", "Requests and offers per day",
                                  "Demandes et offres par jour"), "LINE", "day", ("requests_day", "offers_day")),
        Chart("per_area", nl_en_fr("Open hulpvragen en vrije vrijwilligers per gebied",
                                   "Open requests and free volunteers per area",
                                   "Demandes ouvertes et bénévoles libres par zone"),
              "COLUMN", "area_total", ("area_open", "area_free")),
    ),
)

LOG_TAB = Tab(
    id="log",
    kind="report",
    titles=nl_en_fr("Logboek", "Log", "Journal"),
    columns=(
        column("logged_at", SYSTEM, "datetime", nl_en_fr("Tijdstip", "Logged at", "Horodatage"),
               nl_en_fr("Wanneer de taak eindigde.", "When the job ended.", "Fin de la tâche.")),
        column("job", SYSTEM, "text", nl_en_fr("Taak", "Job", "Tâche"),
               nl_en_fr("sync, purge of partnerexport.", "sync, purge or partner export.", "sync, purge ou export "
                                                                                     "partenaire.")),
        column("duration_s", SYSTEM, "number", nl_en_fr("Duur (s)", "Duration (s)", "Durée (s)"),
               nl_en_fr("Hoe lang het duurde, in seconden.", "How long it took, in seconds.", "Durée, en secondes.")),
        column("rows_added", SYSTEM, "number", nl_en_fr("Rijen toegevoegd", "Rows added", "Lignes ajoutées"),
               nl_en_fr("Nieuwe hulpvragen en vrijwilligers.", "New requests and volunteers.", "Nouvelles demandes et "
                                                                                         "bénévoles.")),
        column("rows_changed", SYSTEM, "number", nl_en_fr("Rijen gewijzigd", "Rows changed", "Lignes modifiées"),
               nl_en_fr("Bestaande rijen die helpt bijwerkte.", "Existing rows helpt updated.",
                  "Lignes existantes mises à jour par helpt.")),
        column("duplicates_flagged", SYSTEM, "number", nl_en_fr("Dubbels gemeld", "Duplicates "
                                                                                  "flagged", "Doublons signalés"),
               nl_en_fr("Nieuw gemelde mogelijke dubbels.", "Newly flagged possible duplicates.",
                  "Doublons possibles nouvellement signalés.")),
        column("api_calls", SYSTEM, "number", nl_en_fr("API-oproepen", "API calls", "Appels API"),
               nl_en_fr("Oproepen naar Google Sheets.", "Calls to Google Sheets.", "Appels à Google Sheets.")),
        column("details", SYSTEM, "longtext", nl_en_fr("Details", "Details", "Détails"),
               nl_en_fr("Fouten en waarschuwingen, zonder persoonsgegevens.", "Errors and warnings, without personal "
                                                                              "data.",
                  "Erreurs et avertissements, sans données personnelles.")),
    ),
)

# --- the whole spreadsheet -----------------------------------------------------

TABS: tuple[Tab, ...] = (
    REQUESTS, VOLUNTEERS, *INTAKE_TABS, TASKS_TAB, AREAS_TAB, PARTNERS_TAB, OVERVIEW_TAB, STATS_TAB, LOG_TAB,
)

_BY_ID = {t.id: t for t in TABS}


def tab(tab_id: str) -> Tab:
    """The tab with this id; KeyError names the unknown id."""
    try:
        return _BY_ID[tab_id]
    except KeyError:
        raise KeyError(f"unknown tab {tab_id!r}") from None
