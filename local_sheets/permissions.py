"""Drive v3 permissions of a spreadsheet, as gspread uses them: `share`, `list_permissions`, `remove_permission`.

Kept in the spreadsheet's extras, so they persist with it. The owner is the
account every request acts as; like Google, the server refuses to remove it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from .errors import ApiError, bad_request, not_found
from .resources import ACCOUNT
from .store import Spreadsheet

ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
TYPES = ("user", "group", "domain", "anyone")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")


def _owner() -> dict[str, Any]:
    return {"kind": "drive#permission", "id": "0" * 20, "type": "user", "emailAddress": ACCOUNT,
            "role": "owner", "displayName": "helpt (local)", "deleted": False, "pendingOwner": False}


def permissions(ss: Spreadsheet) -> list[dict[str, Any]]:
    return ss.extras.setdefault("permissions", [_owner()])


def list_permissions(ss: Spreadsheet) -> dict[str, Any]:
    return {"kind": "drive#permissionList", "permissions": [dict(p) for p in permissions(ss)]}


def create_permission(ss: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    kind, role = body.get("type"), body.get("role")
    if kind not in TYPES:
        raise bad_request("The permission type field is required and must be user, group, domain or anyone.")
    if role not in ROLES or role == "owner":
        raise bad_request(f"The value of the role field is not valid: {str(role)[:40]}.")
    found: dict[str, Any] = {"kind": "drive#permission", "type": kind, "role": role, "deleted": False,
                             "pendingOwner": False}
    if kind in ("user", "group"):
        email = body.get("emailAddress")
        if not isinstance(email, str) or not _EMAIL.fullmatch(email):
            raise bad_request("The permission emailAddress field is required and must be an e-mail address.")
        found["emailAddress"] = email
        existing = next((p for p in permissions(ss) if p.get("emailAddress", "").lower() == email.lower()), None)
        if existing is not None:  # Google updates the role of an existing grantee
            existing["role"] = role
            return dict(existing)
    elif kind == "domain":
        domain = body.get("domain")
        if not isinstance(domain, str) or not domain:
            raise bad_request("The permission domain field is required.")
        found["domain"] = domain
    found["id"] = str(secrets.randbelow(10 ** 20)).zfill(20) if kind != "anyone" else "anyoneWithLink"
    permissions(ss).append(found)
    return dict(found)


def delete_permission(ss: Spreadsheet, permission_id: str) -> None:
    current = permissions(ss)
    found = next((p for p in current if p["id"] == permission_id), None)
    if found is None:
        raise not_found()
    if found["role"] == "owner":
        raise ApiError(403, "The owner of a file cannot be removed.", details=None)
    current.remove(found)
