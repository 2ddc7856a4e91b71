"""The user's own catalog methods: one file under the data dir, merged into the catalogs as group "custom"."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from explorer.core import jsonfile
from explorer.core.catalog.loader import CatalogError, parse_catalog
from explorer.core.catalog.model import Api, Catalog, Group, Method, Param
from explorer.core.paths import atomic_write_bytes, set_aside_file

SCHEMA_VERSION = 1
CUSTOM_GROUP = Group("custom", "Custom", "Methods you saved from your own requests.")
# A method id: what the CLI and the window's --method take after "api:", so no spaces and no colon.
METHOD_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,79}")


class CustomCatalogError(Exception):
    """The custom methods file cannot be read or written; the message names the file."""


class CustomMethodError(ValueError):
    """A custom method cannot be made or changed; `field` names the input at fault ("name", "url"...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_method_id(method_id: str, taken: Collection[str] = ()) -> str | None:
    """Why `method_id` cannot name a new method (`taken`: ids already used by that API), or None."""
    if not METHOD_ID.fullmatch(method_id):
        return "use a letter, then letters, digits, '_', '.' or '-' (at most 80), e.g. listMyDrafts"
    if method_id in taken:
        return f"{method_id!r} is already a method of this API"
    return None


# -- the file format: the catalog files' own method objects, plus "api" ------------------------------------


def param_to_json(param: Param) -> dict[str, Any]:
    data: dict[str, Any] = {"name": param.name, "in": param.location, "type": param.type}
    if param.required:
        data["required"] = True
    if param.array:
        data["array"] = True
    for key in ("enum", "default", "format", "example", "minimum", "maximum"):
        value = getattr(param, key)
        if value is not None:
            data[key] = list(value) if key == "enum" else value
    if param.description:
        data["description"] = param.description
    return data


def method_to_json(method: Method) -> dict[str, Any]:
    """A custom method as stored: the format of the bundled catalog files, with its API added."""
    data: dict[str, Any] = {
        "api": method.api.value,
        "id": method.id,
        "verb": method.verb,
        "path": method.path,
        "group": CUSTOM_GROUP.id,
        "summary": method.summary,
        "description": method.description,
        "documented": method.documented,
        "auth": method.auth,
        "params": [param_to_json(p) for p in method.params],
    }
    if method.body_encoding:
        data["body_encoding"] = method.body_encoding
    if method.example:
        data["example"] = dict(method.example)
    return data


def parse_methods(entries: list[Any], source: str) -> list[Method]:
    """Custom method objects -> Methods, checked by the catalog loader's own rules (CatalogError)."""
    methods: list[Method] = []
    for index, entry in enumerate(entries):
        where = f"{source} method #{index + 1}"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: a method must be an object")
        try:
            api = Api(str(entry.get("api")))
        except ValueError:
            raise CatalogError(f"{where}: unknown api {entry.get('api')!r}") from None
        body = {k: v for k, v in entry.items() if k != "api"}
        document = {"api": api.value, "groups": [{"id": CUSTOM_GROUP.id}], "methods": [body]}
        methods.extend(parse_catalog(document, where).methods)
    keys = [m.key for m in methods]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise CatalogError(f"{source}: methods listed twice: {', '.join(repeated)}")
    return methods


def merge_custom(catalogs: Mapping[Api, Catalog], methods: Collection[Method]) -> dict[Api, Catalog]:
    """The catalogs with the custom methods of each API added in a "custom" group.

    A custom method whose id a bundled catalog has come to use since is left out (the bundled one wins),
    so a catalog update never makes two methods answer to one key.
    """
    merged: dict[Api, Catalog] = {}
    for api, catalog in catalogs.items():
        bundled = {m.id for m in catalog.methods}
        own = tuple(
            replace(m, group=CUSTOM_GROUP.id) for m in methods if m.api == api and m.id not in bundled
        )
        if not own:
            merged[api] = catalog
            continue
        groups = tuple(g for g in catalog.groups if g.id != CUSTOM_GROUP.id) + (CUSTOM_GROUP,)
        merged[api] = replace(catalog, groups=groups, methods=catalog.methods + own)
    return merged


def load_catalogs_with_custom(path: Path) -> tuple[dict[Api, Catalog], str | None]:
    """The bundled catalogs with the custom methods kept in `path` (as the window shows them).

    A damaged or unreadable custom methods file leaves the bundled catalogs alone: it is returned as a
    warning to show, not raised (the window sets such a file aside; a command only reads). A bundled
    catalog that cannot be read still raises CatalogError.
    """
    from explorer.core.catalog.loader import load_bundled_catalogs

    bundled = load_bundled_catalogs()
    try:
        custom = CustomMethodStore(path).methods()
    except CustomCatalogError as exc:
        return dict(bundled), f"{exc} Only the bundled methods are available."
    return merge_custom(bundled, custom), None


class CustomMethodStore:
    """Add, rename, describe and delete the user's methods; the file is read on first use.

    A damaged file raises CustomCatalogError from every method until `set_aside_broken()` moves it away
    (renamed with a timestamp, never deleted); it is never overwritten silently.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._methods: list[Method] | None = None

    def _load(self) -> list[Method]:
        if self._methods is not None:
            return self._methods
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._methods = []
            return self._methods
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CustomCatalogError(
                f"The custom methods file {self.path} cannot be read: {reason}."
            ) from exc
        try:
            data = jsonfile.loads(text)
        except json.JSONDecodeError as exc:
            raise CustomCatalogError(
                f"The custom methods file {self.path} is damaged at line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg}."
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("methods"), list):
            raise CustomCatalogError(f'The custom methods file {self.path} has no "methods" list.')
        if data.get("schema_version") != SCHEMA_VERSION:
            raise CustomCatalogError(
                f"The custom methods file {self.path} has schema_version {data.get('schema_version')!r}; "
                f"this version of the app reads {SCHEMA_VERSION}."
            )
        try:
            self._methods = parse_methods(data["methods"], self.path.name)
        except CatalogError as exc:
            raise CustomCatalogError(f"The custom methods file {self.path} is damaged: {exc}.") from exc
        return self._methods

    def methods(self) -> tuple[Method, ...]:
        return tuple(self._load())

    def get(self, api: Api, method_id: str) -> Method | None:
        return next((m for m in self._load() if m.api == api and m.id == method_id), None)

    def _write(self, methods: list[Method]) -> None:
        payload = {"schema_version": SCHEMA_VERSION, "methods": [method_to_json(m) for m in methods]}
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        try:
            atomic_write_bytes(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise CustomCatalogError(
                f"The custom methods file {self.path} cannot be written: {exc.strerror or exc}."
            ) from exc
        self._methods = methods

    def _checked(self, method: Method) -> Method:
        """The method as it will read back from the file: the loader's rules, applied before saving."""
        try:
            return parse_methods([method_to_json(method)], "the new method")[0]
        except CatalogError as exc:
            raise CustomMethodError("method", str(exc)) from None

    def add(self, method: Method, taken: Collection[str] = (), *, replace: bool = False) -> Method:
        """Save a new method; `taken` are the bundled ids of its API (a custom id may not hide one).

        With `replace`, a custom method of the same id is replaced in its place (saved again from a new
        request: its verb, path and parameters change).
        """
        methods = list(self._load())
        own = {m.id for m in methods if m.api == method.api}
        replacing = replace and method.id in own and method.id not in taken
        problem = check_method_id(method.id, {*taken, *(own - {method.id} if replacing else own)})
        if problem:
            raise CustomMethodError("name", problem)
        checked = self._checked(method)
        if replacing:
            methods[self._index(method.api, method.id)] = checked
        else:
            methods.append(checked)
        self._write(methods)
        return checked

    def _index(self, api: Api, method_id: str) -> int:
        for index, method in enumerate(self._load()):
            if method.api == api and method.id == method_id:
                return index
        raise CustomMethodError("name", f"{api.value} has no custom method {method_id!r}")

    def update(
        self,
        api: Api,
        method_id: str,
        *,
        new_id: str | None = None,
        description: str | None = None,
        taken: Collection[str] = (),
    ) -> Method:
        """Rename and/or describe a method; the summary follows the name when it was the old name."""
        methods = list(self._load())
        index = self._index(api, method_id)
        method = methods[index]
        if new_id is not None and new_id != method_id:
            own = {m.id for m in methods if m.api == api and m.id != method_id}
            problem = check_method_id(new_id, {*taken, *own})
            if problem:
                raise CustomMethodError("name", problem)
            summary = new_id if method.summary in ("", method_id) else method.summary
            method = replace(method, id=new_id, summary=summary)
        if description is not None:
            method = replace(method, description=description.strip())
        methods[index] = self._checked(method)
        self._write(methods)
        return methods[index]

    def delete(self, api: Api, method_id: str) -> None:
        methods = list(self._load())
        del methods[self._index(api, method_id)]
        self._write(methods)

    def set_aside_broken(self) -> Path:
        """Rename the unreadable file to <name>.broken-<timestamp> and carry on with no custom methods."""
        try:
            kept = set_aside_file(self.path)
        except OSError as exc:
            raise CustomCatalogError(
                f"The custom methods file {self.path} cannot be moved aside: {exc.strerror or exc}."
            ) from exc
        self._methods = []
        return kept
