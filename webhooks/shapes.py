"""The shapes a submission arrives in, turned into one envelope: {form, lang, channel, submission_id, answers}.

- helpt's own JSON (and the generated Apps Script): the envelope itself;
  `namedValues` (a Google Form trigger's event) is accepted in place of `answers`.
- A Drupal Webform "remote post" handler: flat keys, JSON or form-encoded, with
  Drupal's own bookkeeping (`uuid`, `langcode`, `webform_id`, ...) around the
  answers. Add `form`, `lang` and `channel` as the handler's custom data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

ENVELOPE_KEYS = ("form", "lang", "channel", "submission_id")

# Drupal's names for the envelope's keys, used when the envelope's own are absent.
_ALIASES = {"form": ("webform_id",), "lang": ("langcode",), "submission_id": ("uuid",)}

# What a Webform remote post sends besides the answers; none of it belongs in a row.
_DRUPAL_BOOKKEEPING = frozenset({
    "sid", "serial", "uuid", "token", "uri", "created", "completed", "changed", "in_draft",
    "current_page", "remote_addr", "uid", "langcode", "webform_id", "entity_type", "entity_id",
    "locked", "sticky", "notes", "metatag",
})


def flat_form(fields: MultiDict) -> dict[str, Any]:
    """Form-encoded keys as JSON would have them: `tasks[]=a&tasks[]=b` and repeated keys become lists."""
    flat: dict[str, Any] = {}
    for key in fields:
        values = fields.getlist(key)
        base = key.split("[", 1)[0]
        if "[" in key or len(values) > 1:
            existing = flat.get(base, [])
            flat[base] = (existing if isinstance(existing, list) else [existing]) + values
        else:
            flat[base] = values[0]
    return flat


def envelope(data: Any) -> Any:
    """The envelope inside `data`; anything that is not a mapping is returned as is, for validation to refuse."""
    if not isinstance(data, Mapping):
        return data
    if "answers" in data or "namedValues" in data:
        found = {key: data[key] for key in ENVELOPE_KEYS if key in data}
        found["answers"] = data.get("answers", data.get("namedValues"))
        return found
    found = {}
    for key in ENVELOPE_KEYS:
        for name in (key, *_ALIASES.get(key, ())):
            if name in data:
                found[key] = data[name]
                break
    found["answers"] = {key: value for key, value in data.items()
                        if key not in ENVELOPE_KEYS and key not in _DRUPAL_BOOKKEEPING}
    return found
