"""The secret key of a local run, generated once into a git-ignored file (mode 0600)."""

import os
import secrets
import tempfile
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """The key stored in ``path``; on the first call, a new random key written there.

    The key is written to a private temporary file (mode 0600) that is then linked to
    ``path`` only if ``path`` does not exist yet: two processes starting at once end up
    with the same key, never a half-written file, and no other user can read it."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as file:
            file.write(key + "\n")
        os.link(temporary, path)
    except FileExistsError:  # another process was first: use its key
        return _read(path)
    finally:
        os.unlink(temporary)
    return key


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 50:
        raise ValueError(f"{path} holds no secret key: delete it to have a new one made.")
    return key
