"""The Stats tab: the counts the city reported every day, recomputed at each sync.

Pure: from the normalised submissions and the master rows as decided, one
list of (metric, by, value) rows. Texts are in the team's language; nothing
personal is counted by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from sheets_schema.answers import cell_codes, choice_code
from sheets_schema.cases import REQUEST_STATUS_CHOICES
from sheets_schema.fields import LANGUAGES
from sheets_schema.tasks import TASK_CHOICES, TASKS

from .normalise import Submission

StatRow = tuple[str, str, str]  # metric, by (task, language, day or status), value

_METRICS: dict[str, dict[str, str]] = {
    "signups_task_language": {"nl": "Aanmeldingen per taak en taal", "en": "Sign-ups per task and language",
                              "fr": "Inscriptions par tâche et langue"},
    "signups": {"nl": "Aanmeldingen (formulieren)", "en": "Sign-ups (forms)", "fr": "Inscriptions (formulaires)"},
    "volunteers": {"nl": "Vrijwilligers (personen)", "en": "Volunteers (people)", "fr": "Bénévoles (personnes)"},
    "requests_task": {"nl": "Hulpvragen per taak", "en": "Requests per task", "fr": "Demandes par tâche"},
    "unfilled_task": {"nl": "Wachtende hulpvragen zonder passende vrijwilliger, per taak",
                      "en": "Waiting requests no volunteer fits, per task",
                      "fr": "Demandes en attente sans bénévole adéquat, par tâche"},
    "submissions_day": {"nl": "Inzendingen per dag", "en": "Submissions per day", "fr": "Soumissions par jour"},
    "requests_day_status": {"nl": "Hulpvragen per dag en status", "en": "Requests per day and status",
                            "fr": "Demandes par jour et statut"},
}
_FORMS = {"request": {"nl": "hulpvragen", "en": "requests", "fr": "demandes"},
          "offer": {"nl": "aanbod", "en": "offers", "fr": "offres"}}


def compute_stats(submissions: Sequence[Submission], volunteers: Iterable[Mapping[str, str]],
                  requests: Iterable[Mapping[str, str]], unfilled_by_task: Mapping[str, int],
                  language: str) -> list[StatRow]:
    """Every Stats row. `volunteers` and `requests` are the live master rows (column id -> value);
    `unfilled_by_task` counts waiting requests for which matching found nobody."""
    metric = {key: labels[language] for key, labels in _METRICS.items()}
    task_label = {t.code: t.labels[language] for t in TASKS}
    status_label = {c.code: c.labels[language] for c in REQUEST_STATUS_CHOICES}
    offers = [s for s in submissions if s.form == "offer"]
    rows: list[StatRow] = []

    per_task_language = Counter((task, s.form_language) for s in offers for task in s.tasks)
    for task in TASKS:
        for form_language in LANGUAGES:
            rows.append((metric["signups_task_language"], f"{task_label[task.code]} · {form_language.upper()}",
                         str(per_task_language[(task.code, form_language)])))
    rows.append((metric["signups"], "", str(len(offers))))
    rows.append((metric["volunteers"], "", str(sum(1 for _ in volunteers))))

    requests = list(requests)
    per_task = Counter(task for row in requests for task in cell_codes(TASK_CHOICES, row.get("tasks", "")))
    rows += [(metric["requests_task"], task_label[t.code], str(per_task[t.code])) for t in TASKS]
    rows += [(metric["unfilled_task"], task_label[t.code], str(unfilled_by_task.get(t.code, 0))) for t in TASKS]

    per_day = Counter((s.time_text[:10], s.form) for s in submissions if s.time_text)
    rows += [(metric["submissions_day"], f"{day} · {_FORMS[form][language]}", str(count))
             for (day, form), count in sorted(per_day.items())]

    per_status = Counter(
        (row.get("created_at", "")[:10], choice_code(REQUEST_STATUS_CHOICES, row.get("status", "")) or "new")
        for row in requests if row.get("created_at"))
    rows += [(metric["requests_day_status"], f"{day} · {status_label[status]}", str(count))
             for (day, status), count in sorted(per_status.items())]
    return rows
