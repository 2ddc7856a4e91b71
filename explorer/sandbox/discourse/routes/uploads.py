"""Uploads kept in memory: direct uploads plus the S3-style presigned and multipart flows."""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Upload
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

UPLOAD_TYPES = ("avatar", "profile_background", "card_background", "custom_emoji", "composer")
MAX_BYTES = 4 * 1024 * 1024  # keeps the in-memory store small; the real default is similar (4 MB images)


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    return 0, 0


def _human(size: int) -> str:
    return (
        f"{size} Bytes"
        if size < 1024
        else f"{size / 1024:.1f} KB"
        if size < 1024 * 1024
        else f"{size / 1024 / 1024:.1f} MB"
    )


def upload_json(upload: Upload) -> dict[str, Any]:
    short = hashlib.sha1(str(upload.id).encode()).hexdigest()[:16]
    return {
        "id": upload.id,
        "url": f"/uploads/default/original/1X/{upload.sha1}.{upload.extension}",
        "original_filename": upload.original_filename,
        "filesize": len(upload.content),
        "width": upload.width or 0,
        "height": upload.height or 0,
        "thumbnail_width": upload.width or 0,
        "thumbnail_height": upload.height or 0,
        "extension": upload.extension,
        "short_url": f"upload://{short}.{upload.extension}",
        "short_path": f"/uploads/short-url/{short}.{upload.extension}",
        "retain_hours": None,
        "human_filesize": _human(len(upload.content)),
        "dominant_color": None,
        "thumbnail": None,
    }


async def create(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    kind = ctx.str_param("upload_type") or ctx.str_param("type")
    if kind not in UPLOAD_TYPES:
        raise errors.invalid_params("upload_type")
    file = ctx.params.get("file")
    if isinstance(file, UploadFile):
        content = await file.read()
        name = file.filename or "upload.bin"
    elif ctx.str_param("url"):
        url = ctx.required("url")
        content, name = url.encode(), url.rstrip("/").rsplit("/", 1)[-1] or "remote.bin"
    else:
        raise errors.unprocessable("You must provide a file to upload.")
    if len(content) > MAX_BYTES:
        raise errors.unprocessable(
            "Sorry, the file you are trying to upload is too big (maximum size is 4 MB)."
        )
    owner = user
    if kind == "avatar" and ctx.params.get("user_id") not in (None, ""):
        owner = ctx.store.users.get(as_int(ctx.params["user_id"], "user_id")) or user
    upload = _store(ctx, owner.id, name, content)
    return upload_json(upload)


def _store(ctx: Ctx, user_id: int, name: str, content: bytes) -> Upload:
    width, height = _png_size(content)
    owner = ctx.store.users[user_id]
    upload = ctx.store.add_upload(owner, name, content)
    upload.width, upload.height = width or None, height or None
    upload.sha1 = hashlib.sha1(content).hexdigest()
    return upload


def serve(ctx: Ctx) -> Response:
    sha1 = ctx.path["sha1"].split(".")[0]
    upload = next((u for u in ctx.store.uploads.values() if u.sha1 == sha1), None)
    if upload is None:
        raise errors.not_found()
    media = "image/png" if upload.extension == "png" else "application/octet-stream"
    return Response(upload.content, media_type=media)


def presigned_put(ctx: Ctx) -> dict[str, Any]:
    ctx.require_user()
    if ctx.required("type") not in UPLOAD_TYPES:
        raise errors.invalid_params("type")
    name = ctx.required("file_name")
    if as_int(ctx.required("file_size"), "file_size") > MAX_BYTES:
        raise errors.unprocessable(
            "Sorry, the file you are trying to upload is too big (maximum size is 4 MB)."
        )
    identifier = hashlib.sha1(f"{name}{ctx.store.version}".encode()).hexdigest()[:32]
    key = f"temp/uploads/default/{identifier}/{name}"
    return {
        "key": key,
        "url": f"https://sandbox-bucket.s3.invalid/{key}?X-Amz-Signature=sandbox",
        "signed_headers": {},
        "unique_identifier": identifier,
    }


def complete_external(ctx: Ctx) -> dict[str, Any]:
    # The sandbox has no bucket: completing any identifier records a small placeholder file.
    identifier = ctx.required("unique_identifier")
    upload = _store(ctx, ctx.require_user().id, f"{identifier}.bin", identifier.encode())
    return upload_json(upload)


def create_multipart(ctx: Ctx) -> dict[str, Any]:
    ctx.require_user()
    if ctx.required("upload_type") not in UPLOAD_TYPES:
        raise errors.invalid_params("upload_type")
    name = ctx.required("file_name")
    as_int(ctx.required("file_size"), "file_size")
    identifier = hashlib.sha1(f"multi{name}{ctx.store.version}".encode()).hexdigest()[:32]
    return {
        "key": f"temp/uploads/default/{identifier}/{name}",
        "external_upload_identifier": f"sandbox-multipart-{identifier[:12]}",
        "unique_identifier": identifier,
    }


def presign_parts(ctx: Ctx) -> dict[str, Any]:
    identifier = ctx.required("unique_identifier")
    parts = ctx.params.get("part_numbers")
    if not isinstance(parts, list) or not parts:
        raise errors.missing_param("part_numbers")
    return {
        "presigned_urls": {
            str(as_int(n, "part_numbers")): f"https://sandbox-bucket.s3.invalid/{identifier}?partNumber={n}"
            for n in parts
        }
    }


def abort_multipart(ctx: Ctx) -> dict[str, str]:
    ctx.required("external_upload_identifier")
    return SUCCESS


def complete_multipart(ctx: Ctx) -> dict[str, Any]:
    identifier = ctx.required("unique_identifier")
    parts = ctx.params.get("parts")
    if not isinstance(parts, list) or not parts:
        raise errors.missing_param("parts")
    upload = _store(ctx, ctx.require_user().id, f"{identifier}.bin", identifier.encode())
    return upload_json(upload)


def routes() -> list[RouteSpec]:
    login = "login"
    return [
        RouteSpec("POST", "/uploads", "uploads#create", create, access=login),
        RouteSpec(
            "POST",
            "/uploads/generate-presigned-put",
            "uploads#generate_presigned_put",
            presigned_put,
            access=login,
        ),
        RouteSpec(
            "POST",
            "/uploads/complete-external-upload",
            "uploads#complete_external_upload",
            complete_external,
            access=login,
        ),
        RouteSpec(
            "POST", "/uploads/create-multipart", "uploads#create_multipart", create_multipart, access=login
        ),
        RouteSpec(
            "POST",
            "/uploads/batch-presign-multipart-parts",
            "uploads#batch_presign_multipart_parts",
            presign_parts,
            access=login,
        ),
        RouteSpec(
            "POST", "/uploads/abort-multipart", "uploads#abort_multipart", abort_multipart, access=login
        ),
        RouteSpec(
            "POST",
            "/uploads/complete-multipart",
            "uploads#complete_multipart",
            complete_multipart,
            access=login,
        ),
        RouteSpec("GET", "/uploads/default/original/1X/{sha1}", "uploads#show", serve, formats=("json",)),
    ]
