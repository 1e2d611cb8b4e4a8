"""The Log tab's words: what each job did, in the team's language, never with personal data.

Every job that touches personal data (sync, partner export, retention,
purge, a person forgotten) leaves one row; the job's name and its details
are written here from nl/en/fr phrase tables, so a coordinator reads the
Log as every other cell (invariant 9).
"""

from __future__ import annotations

from collections.abc import Mapping

from sheets_schema.workbook import Sheet, Workbook

JOBS: dict[str, dict[str, str]] = {
    "sync": {"nl": "synchronisatie", "en": "sync", "fr": "synchronisation"},
    "partner_export": {"nl": "partnerexport", "en": "partner export", "fr": "export partenaire"},
    "retention": {"nl": "bewaartermijn", "en": "retention", "fr": "durée de conservation"},
    "purge": {"nl": "alles gewist", "en": "purge", "fr": "purge"},
    "person_forget": {"nl": "persoon vergeten", "en": "person forgotten", "fr": "personne oubliée"},
}

PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "extract_shared": "bijgewerkt: {n} vrijwilligers gedeeld",
        "exports_removed": "{n} exportbestanden van vroeger verwijderd (maak gerust een nieuwe export)",
        "extract_refused": "niets geschreven of gedeeld: {why}",
        "extract_title": "helpt: vrijwilligers voor {name}",
        "own_desk": "de bestemming is deze spreadsheet zelf, de backoffice; maak een nieuwe, lege spreadsheet voor "
                    "de partner of schrijf 'nieuw'",
        "other_extract": "die spreadsheet is het uittreksel van een andere partner of een andere desk; geef een "
                         "nieuwe, lege spreadsheet of schrijf 'nieuw'",
        "desk_tabs": "die spreadsheet bevat tabbladen van een helpt-desk; geef een nieuwe, lege spreadsheet of "
                     "schrijf 'nieuw'",
        "not_empty": "die spreadsheet bevat al gegevens en werd niet door helpt gemaakt; geef een nieuwe, lege "
                     "spreadsheet of schrijf 'nieuw'",
        "synced": "Gesynchroniseerd in {s} s", "would_sync": "Zou synchroniseren in {s} s",
        "read": "{n} inzendingen gelezen ({new} nieuw)", "nothing": "niets te wijzigen",
        "up_to_date": "elke rij van {tabs} is bij", "and": "en",
        "joined": "{n} nieuwe inzendingen bij een bestaande rij gevoegd",
        "flagged": "{n} mogelijke dubbels om na te kijken", "stats": "Cijfers herschreven ({n} rijen)",
        "stats_would": "Cijfers zouden herschreven worden ({n} rijen)", "api": "{n} oproepen naar de Sheets-API",
        "partners": "Partnerextracten: {items}", "to_add": "{title}: {added} rijen toe te voegen, {changed} bij te "
                                                           "werken",
        "stats_detail": "Cijfers: {what} ({n} rijen)", "rewrite": "herschrijven", "unchanged": "ongewijzigd",
        "tab": "{title}: {added} toegevoegd, {changed} bijgewerkt",
        "submissions": "{new} nieuwe inzendingen, {joined} bij een bestaande rij gevoegd",
        "merged": "{n} rijen samengevoegd na nazicht",
        "rewritten": "{n} rijen opnieuw geschreven omdat het blad intussen verschoof",
        "lost_rows": "{n} ontvangen inzendingen ontbraken in hun formuliertabblad; helpt voegt ze opnieuw toe",
        "unknown": "{n} antwoorden met een onbekende waarde voor {field} weggelaten",
        "shared": "{partner}: {n} vrijwilligers gedeeld",
        "not_updated": "{partner}: niet bijgewerkt ({why}); volgende synchronisatie opnieuw",
        "no_destination": "geen bestemming: schrijf 'nieuw', of geef de link van een nieuwe, lege spreadsheet of een "
                          "bestandsnaam op .xlsx of .csv",
        "unknown_area": "onbekend gebied '{value}'", "unknown_task": "onbekende taak '{value}'",
        "not_shareable": "veld '{value}' kan niet gedeeld worden",
        "retention": "bewaartermijn ({days} dagen): rijen gewist die langer geleden afgesloten werden ({counts}), "
                     "met hun {intake} formulierrijen",
        "purge": "{verb}: rijen ({rows}); {contacts} e-mailadressen van partners; {sheets} partnerspreadsheets "
                 "leeggemaakt en niet meer gedeeld; {files} export- en extractbestanden; {journal} inzendingen "
                 "in het intakejournaal",
        "purge_verb": "Gewist", "purge_dry": "Zou wissen", "none": "geen",
        "purge_failed": " Niet gelukt, wis opnieuw: {failed}.",
        "forget": "gegevens van een persoon gewist op verzoek: {rows} rijen in {tabs} tabbladen, {journal} "
                  "inzendingen die nog wachtten; de partnerextracten volgen bij deze synchronisatie",
    },
    "en": {
        "extract_shared": "up to date: {n} volunteers shared",
        "exports_removed": "{n} earlier export files removed (make a new export if you need one)",
        "extract_refused": "nothing written or shared: {why}",
        "extract_title": "helpt: volunteers for {name}",
        "own_desk": "the destination is this spreadsheet itself, the back office; make a new, empty spreadsheet "
                    "for the partner or write 'new'",
        "other_extract": "that spreadsheet is the extract of another partner or another desk; give a new, empty "
                         "spreadsheet or write 'new'",
        "desk_tabs": "that spreadsheet holds the tabs of a helpt desk; give a new, empty spreadsheet or write 'new'",
        "not_empty": "that spreadsheet already holds data and helpt did not make it; give a new, empty spreadsheet "
                     "or write 'new'",
        "synced": "Synced in {s} s", "would_sync": "Would sync in {s} s",
        "read": "{n} submissions read ({new} new)", "nothing": "nothing to change",
        "up_to_date": "every row of {tabs} is up to date", "and": "and",
        "joined": "{n} new submissions joined an existing row",
        "flagged": "{n} possible duplicates flagged for review", "stats": "Stats rewritten ({n} rows)",
        "stats_would": "Stats would be rewritten ({n} rows)", "api": "{n} Sheets API calls",
        "partners": "Partner extracts: {items}", "to_add": "{title}: {added} rows to add, {changed} rows to update",
        "stats_detail": "Stats: {what} ({n} rows)", "rewrite": "rewrite", "unchanged": "unchanged",
        "tab": "{title}: {added} added, {changed} updated",
        "submissions": "{new} new submissions, {joined} joined existing rows",
        "merged": "{n} rows merged on review",
        "rewritten": "{n} rows rewritten after the sheet moved",
        "lost_rows": "{n} acknowledged submissions were missing from their intake tab; helpt adds them again",
        "unknown": "{n} answers with an unknown {field} value were left out",
        "shared": "{partner}: {n} volunteers shared",
        "not_updated": "{partner}: not updated ({why}); tried again at the next sync",
        "no_destination": "no destination: write 'new', or give the link of a new, empty spreadsheet or a file name "
                          "ending in .xlsx or .csv",
        "unknown_area": "unknown area '{value}'", "unknown_task": "unknown task '{value}'",
        "not_shareable": "field '{value}' cannot be shared",
        "retention": "retention ({days} days): erased the rows finished before then ({counts}) "
                     "and their {intake} intake rows",
        "purge": "{verb}: rows ({rows}); {contacts} partner contact e-mails; {sheets} partner spreadsheets emptied "
                 "and unshared; {files} extract and export files; {journal} intake journal entries",
        "purge_verb": "Erased", "purge_dry": "Would erase", "none": "none",
        "purge_failed": " Not done, run purge again: {failed}.",
        "forget": "a person's data erased on request: {rows} rows in {tabs} tabs, {journal} pending submissions; "
                  "partner extracts follow at this sync",
    },
    "fr": {
        "extract_shared": "à jour : {n} bénévoles partagés",
        "exports_removed": "{n} fichiers d'export antérieurs supprimés (refaites un export si besoin)",
        "extract_refused": "rien écrit ni partagé : {why}",
        "extract_title": "helpt : bénévoles pour {name}",
        "own_desk": "la destination est ce tableur-ci, le back-office ; créez un tableur neuf et vide pour le "
                    "partenaire ou écrivez « nouveau »",
        "other_extract": "ce tableur est l'extrait d'un autre partenaire ou d'un autre guichet ; indiquez un tableur "
                         "neuf et vide ou écrivez « nouveau »",
        "desk_tabs": "ce tableur contient les onglets d'un guichet helpt ; indiquez un tableur neuf et vide ou "
                     "écrivez « nouveau »",
        "not_empty": "ce tableur contient déjà des données et helpt ne l'a pas créé ; indiquez un tableur neuf et "
                     "vide ou écrivez « nouveau »",
        "synced": "Synchronisé en {s} s", "would_sync": "Synchroniserait en {s} s",
        "read": "{n} soumissions lues ({new} nouvelles)", "nothing": "rien à changer",
        "up_to_date": "chaque ligne de {tabs} est à jour", "and": "et",
        "joined": "{n} nouvelles soumissions jointes à une ligne existante",
        "flagged": "{n} doublons possibles à vérifier", "stats": "Statistiques réécrites ({n} lignes)",
        "stats_would": "Les statistiques seraient réécrites ({n} lignes)", "api": "{n} appels à l'API Sheets",
        "partners": "Extraits partenaires : {items}",
        "to_add": "{title} : {added} lignes à ajouter, {changed} à mettre à jour",
        "stats_detail": "Statistiques : {what} ({n} lignes)", "rewrite": "réécrire", "unchanged": "inchangées",
        "tab": "{title} : {added} ajoutées, {changed} mises à jour",
        "submissions": "{new} nouvelles soumissions, {joined} jointes à une ligne existante",
        "merged": "{n} lignes fusionnées après vérification",
        "rewritten": "{n} lignes réécrites car la feuille a bougé entre-temps",
        "lost_rows": "{n} soumissions reçues manquaient dans leur onglet de formulaire ; helpt les ajoute à nouveau",
        "unknown": "{n} réponses avec une valeur inconnue pour {field} ignorées",
        "shared": "{partner} : {n} bénévoles partagés",
        "not_updated": "{partner} : pas mis à jour ({why}) ; nouvel essai à la prochaine synchronisation",
        "no_destination": "pas de destination : écrivez « nouveau », ou indiquez le lien d'un tableur neuf et vide "
                          "ou un "
                          "nom de fichier en .xlsx ou .csv",
        "unknown_area": "zone inconnue '{value}'", "unknown_task": "tâche inconnue '{value}'",
        "not_shareable": "le champ '{value}' ne peut pas être partagé",
        "retention": "durée de conservation ({days} jours) : lignes clôturées avant effacées ({counts}), avec leurs "
                     "{intake} lignes de formulaire",
        "purge": "{verb} : lignes ({rows}) ; {contacts} e-mails de contact de partenaires ; {sheets} tableurs de "
                 "partenaires vidés et plus partagés ; {files} fichiers d'export et d'extrait ; {journal} "
                 "soumissions du journal d'accueil",
        "purge_verb": "Effacé", "purge_dry": "Effacerait", "none": "aucune",
        "purge_failed": " Non fait, relancez la purge : {failed}.",
        "forget": "données d'une personne effacées sur demande : {rows} lignes dans {tabs} onglets, {journal} "
                  "soumissions en attente ; les extraits des partenaires suivent à cette synchronisation",
    },
}


def say(language: str, key: str, **values: object) -> str:
    return PHRASES[language][key].format(**values)


def log_rows(workbook: Workbook, sheet: Sheet, now: str, rows: list[Mapping[str, str]]) -> None:
    """Append Log rows in one call; each names its job by key (`job`), written as a word of the team."""
    language = workbook.language
    workbook.append(sheet, [{c: v for c, v in {**row, "logged_at": now,
                                               "job": JOBS[row["job"]][language]}.items() if c in sheet.positions}
                            for row in rows])
