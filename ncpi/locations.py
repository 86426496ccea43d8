"""Raw and warehouse locations given as paths or URLs, so one flow runs anywhere.

A plain path or file:// URL is used in place. Any other URL pyarrow's filesystems know
(s3://bucket/prefix, gs://, hdfs://) is staged: copied to a local temporary folder
before the build, and — for the warehouse — copied back after it, so every step keeps
working on local files and Parquet bytes do not depend on where they are stored.
"""
from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

REMOTE_SCHEMES = {"s3", "gs", "gcs", "hdfs", "viewfs", "abfs", "abfss"}


class LocationError(ValueError):
    pass


@dataclass(frozen=True)
class Location:
    uri: str
    scheme: str          # "file" for local folders
    path: str            # local path, or the path inside the remote filesystem

    @property
    def is_local(self) -> bool:
        return self.scheme == "file"

    def filesystem(self):
        """The pyarrow filesystem (created on use: an S3 client may look up the bucket's region)."""
        import pyarrow.fs as pafs
        if self.is_local:
            return pafs.LocalFileSystem()
        fs, _ = pafs.FileSystem.from_uri(self.uri)
        return fs


def resolve(value: str | Path) -> Location:
    text = str(value)
    parsed = urlparse(text)
    if parsed.scheme in ("", "file") or len(parsed.scheme) == 1:   # "C:\..." is a path
        if parsed.scheme == "file":
            if parsed.netloc not in ("", "localhost"):
                raise LocationError(f"{text}: file:// URLs must name a local path (file:///abs/path)")
            text = unquote(parsed.path)
        return Location(str(value), "file", str(Path(text).expanduser().resolve()))
    if parsed.scheme in REMOTE_SCHEMES:
        return Location(text, parsed.scheme, f"{parsed.netloc}{parsed.path}".rstrip("/"))
    raise LocationError(f"{text}: unsupported location scheme '{parsed.scheme}'; use a path, file:// or "
                        + ", ".join(f"{s}://" for s in sorted(REMOTE_SCHEMES)))


@contextlib.contextmanager
def staged(loc: Location, *, write_back: bool = False):
    """A local folder holding the location's files; written back afterwards if asked."""
    if loc.is_local:
        yield Path(loc.path)
        return
    import pyarrow.fs as pafs
    fs = loc.filesystem()
    with tempfile.TemporaryDirectory(prefix="ncpi-stage-") as tmp:
        local = pafs.LocalFileSystem()
        if fs.get_file_info(loc.path).type == pafs.FileType.Directory:
            pafs.copy_files(loc.path, tmp, source_filesystem=fs, destination_filesystem=local)
        yield Path(tmp)
        if write_back:
            pafs.copy_files(tmp, loc.path, source_filesystem=local, destination_filesystem=fs)
