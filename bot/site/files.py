"""Writing the site into its folder so that a web server never serves half of it.

Every file is written in full into a staging folder inside the target (the same file
system, so a rename is atomic), then renamed over its old self: a reader gets the old file
or the new one, never part of one. The order keeps every link working while it happens:
the stylesheet and script, then the talk and session pages, then the feeds, and the index
last; pages no longer published (consent withdrawn) are removed only after the index that
linked them is gone. A manifest (`.wgml-site.json`) lists what the last build wrote: only
those files are ever replaced or removed, so anything else in the folder is left alone.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

MANIFEST = ".wgml-site.json"
LOCK = ".wgml-site.lock"
STAGING_PREFIX = ".wgml-site-build-"
# What goes first: assets, pages, then the files that link to pages; the index last.
_FIRST = ("site.css", "site.js")
_LAST = ("feed.ics", "feed.xml", "talks.json", "index.html")


class SiteError(Exception):
    """The site cannot be written where asked; one line that says why and how to fix it."""


def check_directory(target: Path) -> None:
    """The folder exists (created when missing) and the bot may write in it."""
    if target.exists() and not target.is_dir():
        raise SiteError(f"{target} is a file, not a folder; give the site a folder of its own")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SiteError(f"{target} is not a folder (a file is in the way); give the site a "
                        "folder of its own") from None
    except OSError as exc:
        raise SiteError(f"cannot create the site's folder {target}: "
                        f"{exc.strerror or exc}") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise SiteError(f"cannot write to {target}: permission denied; give the bot's user "
                        "write access or choose another folder")


def _safe_relative(name: str) -> PurePosixPath | None:
    """A manifest entry as a path inside the folder, or None (never outside it)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(p in ("", ".", "..") for p in path.parts):
        return None
    if path.name in (MANIFEST, LOCK) or path.parts[0].startswith(STAGING_PREFIX):
        return None
    return path


def _previous(target: Path) -> set[PurePosixPath]:
    try:
        names = json.loads((target / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    if not isinstance(names, list):
        return set()
    return {p for p in (_safe_relative(n) for n in names if isinstance(n, str)) if p}


def _order(name: PurePosixPath) -> tuple[int, str]:
    text = str(name)
    if text in _FIRST:
        return 0, text
    if text in _LAST:
        return 2 + _LAST.index(text), text
    return 1, text


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One build at a time in a folder (`run` and a `tick` may both rebuild)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: builds simply do not overlap there
        yield
        return
    with open(target / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_site(target: Path, files: Mapping[str, bytes]) -> None:
    """Replace the site in `target` by `files` {relative path: content}."""
    check_directory(target)
    wanted = {}
    for name, data in files.items():
        path = _safe_relative(name)
        if path is None:
            raise ValueError(f"not a path inside the site: {name!r}")
        wanted[path] = data
    try:
        with _locked(target):
            _swap(target, wanted)
    except SiteError:
        raise
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise SiteError(f"cannot write to {target}: {exc.strerror}") from None
        if exc.errno == errno.ENOSPC:
            raise SiteError(f"no space left on the device of {target}") from None
        raise SiteError(f"cannot write the site into {target}: {exc}") from None


def _swap(target: Path, wanted: Mapping[PurePosixPath, bytes]) -> None:
    previous = _previous(target)
    stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    try:
        for path, data in wanted.items():
            staged = stage.joinpath(*path.parts)
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            staged.chmod(0o644)  # mkstemp's 0600 would hide the site from the web server
        for path in sorted(wanted, key=_order):
            final = target.joinpath(*path.parts)
            if final.parent != target:
                if final.parent.exists() and not final.parent.is_dir():
                    raise SiteError(f"{final.parent} is a file where the site keeps its "
                                    f"{final.parent.name} pages; move it away")
                final.parent.mkdir(parents=True, exist_ok=True)
            if final.is_dir():
                raise SiteError(f"{final} is a folder where the site writes a file; move "
                                "it away")
            os.replace(stage.joinpath(*path.parts), final)
        manifest = stage / MANIFEST
        manifest.write_text(json.dumps({"files": sorted(str(p) for p in wanted)}, indent=0),
                            encoding="utf-8")
        manifest.chmod(0o644)
        os.replace(manifest, target / MANIFEST)
        for path in previous - set(wanted):  # pages no longer published
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                target.joinpath(*path.parts).unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
