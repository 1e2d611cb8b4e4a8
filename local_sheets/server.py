"""The WSGI app: routes Sheets v4 and Drive v3 URLs to the store, plus admin and view routes."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable
from urllib.parse import quote, urlencode

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from . import append as append_mod
from . import batch, griddata, limits, permissions, values
from .access import ViewLinks, host_allowed, token_matches
from .editing import EDITOR_SCRIPT_HASH
from .errors import ApiError, bad_request, not_found
from .faults import MESSAGES, Faults
from .resources import drive_file, spreadsheet_resource
from .store import SPREADSHEET_MIME, Spreadsheet, Store
from .views import view_routes, view_signed_out

_SS = re.compile(r"^/v4/spreadsheets/(?P<id>[^/:]+)(?P<rest>.*)$")
_FILE = re.compile(r"^/drive/v3/files/(?P<id>[^/]+)(?P<rest>/export|/permissions(?:/(?P<permission>[^/]+))?)?$")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEW_MAX_BYTES = 4_000_000
# Cells carry their colours as style attributes; the one script is the row editor's, allowed by its hash.
PAGE_POLICY = (f"default-src 'none'; style-src 'unsafe-inline'; script-src {EDITOR_SCRIPT_HASH}; "
               "connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'")


def json_response(body: Any, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate from before they were refused: escaped, still valid JSON
        data = json.dumps(body).encode()
    return Response(data, status=status, content_type="application/json; charset=UTF-8")


def error_response(err: ApiError) -> Response:
    return json_response(err.body(), err.code)


class SheetsApp:
    """One server's state: the store, the fault settings and the call counter."""

    def __init__(self, store: Store, faults: Faults | None = None, *, token: str) -> None:
        self.store = store
        self.token = token
        self.view_links = ViewLinks(token)
        self.faults = faults or Faults()
        self.calls: Counter[str] = Counter()
        self._calls_lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if not host_allowed(request.host):
            return error_response(ApiError(403, "This server answers loopback addresses only (Host: 127.0.0.1, "
                                                "localhost or [::1]).", "PERMISSION_DENIED"))
        if not (path.startswith(("/_local/", "/v4/", "/drive/v3/"))):
            return _with_page_headers(self.view(request, path))
        if not token_matches(request.headers.get("Authorization"), self.token):
            return error_response(ApiError(
                401, "Request is missing required authentication credential. Expected the token of this "
                     "data folder as 'Authorization: Bearer <token>'.", "UNAUTHENTICATED"))
        if (request.content_length or 0) > limits.MAX_BODY_BYTES:  # refused before a byte of it is read
            return error_response(bad_request(limits.BODY_LIMIT_MESSAGE))
        request.max_content_length = limits.MAX_BODY_BYTES  # and a chunked body stops there
        if request.method in ("POST", "PUT", "PATCH") and request.content_length != 0 \
                and request.mimetype not in ("application/json", ""):
            return error_response(bad_request(f"Invalid content type {request.mimetype}: send application/json."))
        if path.startswith("/_local/"):
            return self.admin(request, path)
        code = self.faults.pick()
        if code:
            message, status = MESSAGES.get(code, ("Injected fault.", None))
            return error_response(ApiError(code, message, status))
        try:
            kind, response = self.api(request, path)
        except ApiError as err:
            kind, response = "error", error_response(err)
        with self._calls_lock:
            self.calls[f"{request.method} {kind}"] += 1
        return response

    # --- the view, behind its one-time links ---------------------------------------

    def view(self, request: Request, path: str) -> Response:
        link = request.args.get("token")
        if link is not None:
            if not self.view_links.spend(link):
                return view_signed_out(401)
            # Spent: the address bar and the history keep an address that opens nothing.
            rest = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
            response = Response(status=303, headers={"Location": (quote(path) or "/") + (f"?{rest}" if rest else "")})
            response.set_cookie(self.view_links.cookie_name, self.view_links.cookie(), httponly=True,
                                samesite="Strict", path="/")
            return response
        if not self.view_links.signed_in(request.cookies.get(self.view_links.cookie_name),
                                         request.headers.get("Authorization")):
            return view_signed_out(401)
        # A row's form: at most 50,000 characters a cell, a few dozen cells. Larger posts are not read.
        request.max_content_length = request.max_form_memory_size = VIEW_MAX_BYTES
        try:
            return view_routes(self, request, path)
        except RequestEntityTooLarge:
            return Response("Not saved: this row holds more than a row can (50,000 characters a cell).",
                            status=413, content_type="text/plain; charset=utf-8")

    # --- admin -----------------------------------------------------------------

    def admin(self, request: Request, path: str) -> Response:
        if path == "/_local/faults":
            if request.method == "POST":
                try:
                    settings = json.loads(request.get_data() or b"{}")
                    if not isinstance(settings, dict):
                        raise ValueError("fault settings are a JSON object")
                    self.faults.update(settings)
                except (ValueError, RecursionError) as err:
                    return json_response({"error": str(err)}, 400)
            return json_response(self.faults.to_dict())
        if path == "/_local/view-link" and request.method == "POST":
            link = self.view_links.issue()
            return json_response({"path": f"/?token={link}", "url": f"{request.host_url.rstrip('/')}/?token={link}"})
        if path == "/_local/compact" and request.method == "POST":
            with self.store.lock:
                self.store.compact()
            return json_response({"compacted": True})
        if path == "/_local/calls":
            with self._calls_lock:
                counts = dict(self.calls)
                if request.method in ("POST", "DELETE"):
                    self.calls.clear()
            return json_response({"total": sum(counts.values()), "calls": counts})
        return json_response({"error": "not found"}, 404)

    # --- API ---------------------------------------------------------------------

    def api(self, request: Request, path: str) -> tuple[str, Response]:
        if path.startswith("/drive/v3/files"):
            return self.drive(request, path)
        if path == "/v4/spreadsheets" and request.method == "POST":
            return "spreadsheets.create", self.create_from_sheets_api(_body(request))
        match = _SS.match(path)
        if not match:
            raise not_found()
        ss_id, rest, method = match["id"], match["rest"], request.method
        params = request.args
        if rest == "" and method == "GET":
            return "spreadsheets.get", self.read(ss_id, lambda ss: griddata.spreadsheet_get(ss, params))
        if rest == ":batchUpdate" and method == "POST":
            return "spreadsheets.batchUpdate", self.mutate(ss_id, lambda ss: batch.batch_update(ss, _body(request)))
        if rest == "/values:batchGet" and method == "GET":
            return "values.batchGet", self.read(
                ss_id, lambda ss: values.batch_get(ss, params.getlist("ranges"), params))
        if rest == "/values:batchUpdate" and method == "POST":
            return "values.batchUpdate", self.mutate(ss_id, lambda ss: values.batch_update(ss, _body(request)))
        if rest == "/values:batchClear" and method == "POST":
            return "values.batchClear", self.mutate(
                ss_id, lambda ss: values.batch_clear(ss, _body(request).get("ranges") or []))
        if rest.startswith("/values/"):
            return self.values_route(request, ss_id, rest[len("/values/"):])
        raise not_found()

    def values_route(self, request: Request, ss_id: str, rng: str) -> tuple[str, Response]:
        method, params = request.method, request.args
        if method == "POST" and rng.endswith(":append"):
            rng = rng[: -len(":append")]
            return "values.append", self.mutate(ss_id, lambda ss: append_mod.append(ss, rng, _body(request), params))
        if method == "POST" and rng.endswith(":clear"):
            rng = rng[: -len(":clear")]
            return "values.clear", self.mutate(ss_id, lambda ss: values.clear(ss, rng))
        if method == "GET":
            return "values.get", self.read(ss_id, lambda ss: values.get(ss, rng, params))
        if method == "PUT":
            return "values.update", self.mutate(ss_id, lambda ss: values.update(ss, rng, _body(request), params))
        raise not_found()

    def read(self, ss_id: str, fn: Callable[[Spreadsheet], Any]) -> Response:
        with self.store.lock:
            ss = self._get(ss_id)
            with _malformed_is_a_400():
                return json_response(fn(ss))

    def mutate(self, ss_id: str, fn: Callable[[Spreadsheet], Any]) -> Response:
        """Apply fn and save; on any error drop the partial change, as Google's requests are atomic."""
        with self.store.lock:
            ss = self._get(ss_id)
            try:
                with _malformed_is_a_400():
                    result = fn(ss)
                    limits.check_shape(ss)
            except BaseException:
                self.store.reload(ss_id)
                raise
            self.store.save(ss)
            return json_response(result)

    def _get(self, ss_id: str) -> Spreadsheet:
        ss = self.store.spreadsheets.get(ss_id)
        if ss is None:
            raise not_found()
        return ss

    def create_from_sheets_api(self, body: dict[str, Any]) -> Response:
        title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
        with self.store.lock:
            ss = self.store.create(title)
            extra = [s.get("properties") or {} for s in body.get("sheets") or []]
            if extra:
                first = extra[0]
                ss.sheets[0].properties["title"] = first.get("title", "Sheet1")
                for props in extra[1:]:
                    batch.add_sheet(ss, {"properties": props})
                self.store.save(ss)
            return json_response(spreadsheet_resource(ss))

    # --- Drive -------------------------------------------------------------------

    def drive(self, request: Request, path: str) -> tuple[str, Response]:
        method = request.method
        if path == "/drive/v3/files":
            if method == "POST":
                body = _body(request)
                if body.get("mimeType") != SPREADSHEET_MIME:
                    raise bad_request("Only Google Sheets files can be created here.")
                with self.store.lock:
                    ss = self.store.create(body.get("name") or "Untitled spreadsheet")
                    return "files.create", json_response(drive_file(ss, None))
            if method == "GET":
                return "files.list", json_response(self.list_files(request.args))
        match = _FILE.match(path)
        if not match:
            raise not_found()
        ss_id = match["id"]
        if match["rest"] == "/export":
            return "files.export", self.export(ss_id, request.args.get("mimeType", ""))
        if match["rest"]:
            return self.permissions_route(request, ss_id, match["permission"])
        if method == "GET":
            return "files.get", self.read(ss_id, lambda ss: drive_file(ss, request.args.get("fields")))
        if method == "DELETE":
            with self.store.lock:
                self._get(ss_id)
                self.store.delete(ss_id)
            return "files.delete", Response(status=204)
        raise not_found()

    def permissions_route(self, request: Request, ss_id: str, permission_id: str | None) -> tuple[str, Response]:
        if permission_id is None and request.method == "GET":
            return "permissions.list", self.read(ss_id, permissions.list_permissions)
        if permission_id is None and request.method == "POST":
            return "permissions.create", self.mutate(
                ss_id, lambda ss: permissions.create_permission(ss, _body(request)))
        if permission_id is not None and request.method == "DELETE":
            with self.store.lock:
                ss = self._get(ss_id)
                permissions.delete_permission(ss, permission_id)
                self.store.save(ss)
            return "permissions.delete", Response(status=204)
        raise not_found()

    def list_files(self, args: Any) -> dict[str, Any]:
        query = args.get("q", "")
        name = re.search(r"name\s*=\s*(['\"])((?:\\.|(?!\1).)*)\1", query)
        wanted_name = re.sub(r"\\(.)", r"\1", name.group(2)) if name else None
        mime = re.search(r"mimeType\s*=\s*(['\"])(.*?)\1", query)
        fields = re.search(r"files\(([^)]*)\)", args.get("fields", ""))
        with self.store.lock:
            items = [ss for ss in self.store.spreadsheets.values()
                     if (wanted_name is None or ss.properties["title"] == wanted_name)
                     and (mime is None or mime.group(2) == SPREADSHEET_MIME)]
            items.sort(key=lambda ss: ss.modified, reverse=True)
            files = [drive_file(ss, fields.group(1) if fields else "kind,id,name,mimeType") for ss in items]
        if fields:
            return {"kind": "drive#fileList", "files": files}
        return {"kind": "drive#fileList", "incompleteSearch": False, "files": files}

    def export(self, ss_id: str, mime: str) -> Response:
        from .views import export_csv_rows, export_xlsx

        with self.store.lock:
            ss = self._get(ss_id)
            if mime == XLSX_MIME:
                return Response(export_xlsx(ss), content_type=XLSX_MIME)
            if mime == "text/csv":
                return Response(export_csv_rows(ss.sheets[0], for_people=False), content_type="text/csv")
        raise bad_request(f"Export to {mime} is not supported by the local server.")


@contextmanager
def _malformed_is_a_400() -> Iterator[None]:
    """A body of the right JSON but the wrong shape (a number where an object goes, a list too deep)
    surfaces as one of these deep in the handlers: Google answers such requests 400, so do we."""
    try:
        yield
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError, RecursionError) as error:
        raise bad_request(f"Invalid value in the request: {type(error).__name__}: {str(error)[:200]}") from None


def _with_page_headers(response: Response) -> Response:
    """The view's pages may not be framed by another site, nor run a script they did not ship."""
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" sends "Origin: null" with our own forms
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


# A UTF-16 surrogate as a JSON escape, or encoded on its own in the bytes (json.loads lets both through).
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _body(request: Request) -> dict[str, Any]:
    try:
        data = request.get_data()
    except RequestEntityTooLarge:
        raise bad_request(limits.BODY_LIMIT_MESSAGE) from None
    if request.content_length is None and len(data) >= limits.MAX_BODY_BYTES:
        raise bad_request(limits.BODY_LIMIT_MESSAGE)  # a chunked body, cut off at the limit: never a prefix
    if not data:
        return {}
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        raise bad_request("Invalid JSON payload received.") from None
    if _MAYBE_SURROGATE.search(data):
        try:
            json.dumps(body, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # a lone surrogate: no text Google (or UTF-8) can hold
            raise bad_request("Invalid JSON payload received. Invalid Unicode: an unpaired surrogate.") from None
    return body if isinstance(body, dict) else {}
