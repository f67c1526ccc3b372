"""The size cap and content decoding of an endpoint's answer, the same for every HTTP client.

An answer may be at most ``max_response_bytes`` long, counted after decompression, so a small gzip bomb
is refused as soon as its output passes the cap, without inflating it in memory. Only ``gzip`` and
``deflate`` are asked for and accepted. Used by :mod:`autogen.oai.http_guard` (httpx, under the SDKs) and
:mod:`autogen.oai.direct` (aiohttp); neither httpx nor openai is imported here.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Callable, Optional

__all__ = ["ACCEPTED_ENCODINGS", "DEFAULT_MAX_RESPONSE_BYTES", "BodyLimit", "Inflater", "check_encoding"]

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
ACCEPTED_ENCODINGS = "gzip, deflate"
_CHUNK = 64 * 1024


class Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._d = zlib.decompressobj(wbits)
        self._first = encoding == "deflate"

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._d.decompress(data, limit)
        except zlib.error:
            if not self._first:
                raise
            self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" that is raw deflate, as httpx allows
            out = self._d.decompress(data, limit)
        self._first = False
        return out

    @property
    def pending(self) -> bytes:
        return self._d.unconsumed_tail

    def flush(self) -> bytes:
        return self._d.flush()


def check_encoding(encoding: str, invalid: Callable[[str], Exception]) -> Optional[str]:
    """The content encoding to decode (None: none), or ``invalid(message)`` raised for one not accepted."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise invalid(
            f"The endpoint answered with content-encoding {encoding!r}; only {ACCEPTED_ENCODINGS} are accepted."
        )
    return encoding


class BodyLimit:
    """Decodes (when compressed) and counts one answer's body; ``too_large(message)`` is raised past ``cap``."""

    def __init__(self, cap: int, encoding: Optional[str], origin: str, too_large: Callable[[str], Exception]) -> None:
        self._cap = cap
        self._inflater = Inflater(encoding) if encoding else None
        self._origin = origin
        self._too_large = too_large
        self._count = 0

    def _counted(self, data: bytes) -> bytes:
        self._count += len(data)
        if self._count > self._cap:
            raise self._too_large(
                f"The answer from {self._origin} is larger than max_response_bytes={self._cap} (decompressed); "
                "it was refused. Raise 'max_response_bytes' in the config if such answers are expected."
            )
        return data

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded bytes of one received chunk."""
        if self._inflater is None:
            yield self._counted(chunk)
            return
        data = chunk
        while data:
            # One byte more than is allowed is enough to know the cap is passed.
            out = self._inflater.feed(data, min(_CHUNK, self._cap - self._count + 1))
            if out:
                yield self._counted(out)
            data = self._inflater.pending

    def finish(self) -> bytes:
        """The decoded bytes left at the end of the body."""
        if self._inflater is None:
            return b""
        return self._counted(self._inflater.flush())
