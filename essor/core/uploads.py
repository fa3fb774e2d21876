"""Uploaded import files kept between a web dry run and the real import.

After a dry run the file stays on the server under a random name, known only to the
session that uploaded it, so that the real import runs on the same file without choosing
it again. It is deleted once imported, when the same session uploads another file of the
same kind, or after ``MAX_AGE`` seconds, whichever comes first.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 3600
SESSION_KEY = "essor_import_uploads"


def _folder() -> Path:
    folder = Path(getattr(settings, "IMPORT_UPLOAD_DIR", "") or
                  Path(tempfile.gettempdir()) / "essor-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    return _folder() / f"{token}.upload"


def purge_stale(now: float | None = None) -> int:
    """Delete the kept files older than ``MAX_AGE``; return how many."""
    now = time.time() if now is None else now
    removed = 0
    for path in _folder().glob("*.upload"):
        try:
            if now - path.stat().st_mtime > MAX_AGE:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def keep(request, kind: str, upload) -> str:
    """Store ``upload`` for this session and import kind; return its token."""
    purge_stale()
    uploads = request.session.get(SESSION_KEY, {})
    for token, meta in list(uploads.items()):
        if meta["kind"] == kind:
            discard(request, token)
            uploads.pop(token, None)
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    descriptor = os.open(_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        for block in upload.chunks():
            target.write(block)
    upload.seek(0)
    uploads[token] = {"kind": kind, "name": Path(upload.name).name[:100], "at": time.time()}
    request.session[SESSION_KEY] = uploads
    return token


def find(request, kind: str, token: str) -> tuple[Path, str] | None:
    """The kept file of this session and kind, with its original name; None when it is
    unknown to the session, of another kind, expired or gone."""
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if not meta or meta["kind"] != kind:
        return None
    path = _path(token)
    if time.time() - meta["at"] > MAX_AGE or not path.is_file():
        discard(request, token)
        return None
    return path, meta["name"]


def discard(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if token and token.replace("-", "").replace("_", "").isalnum():
        _path(token).unlink(missing_ok=True)
