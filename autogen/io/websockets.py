"""A stream over a websocket, so a browser or another program can talk to agents.

Each connection gets its own :class:`IOWebsockets`, set as the default stream while the
``on_connect`` callback runs: everything agents print goes to the client as text messages, and
human input (``human_input_mode="ALWAYS"``) is the client's next message.

Example:
    >>> def on_connect(iostream: IOWebsockets) -> None:
    ...     task = iostream.input()  # the client's first message
    ...     user_proxy.initiate_chat(assistant, message=task)
    >>> with IOWebsockets.run_server_in_thread(on_connect=on_connect, port=8765) as uri:
    ...     ...  # clients connect to uri ("ws://127.0.0.1:8765")

Needs the ``websockets`` package: ``pip install "autogen[websockets]"``.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, Optional

from .base import IOStream

__all__ = ["IOWebsockets", "InputTimeoutError"]

logger = logging.getLogger(__name__)


class InputTimeoutError(TimeoutError):
    """The websocket client sent no input within the configured time."""


def _import_websockets_sync() -> Any:
    try:
        from websockets.sync import server
    except ImportError:
        raise ImportError(
            'IOWebsockets needs the websockets package (>= 12); install it with: pip install "autogen[websockets]"'
        ) from None
    return server


class IOWebsockets(IOStream):
    """Prints to and reads from one websocket connection.

    Args:
        websocket: a connection from ``websockets`` (``websockets.sync.server.ServerConnection``
            or anything with ``send(str)`` and ``recv(timeout=...)``).
        input_timeout: seconds :meth:`input` waits for the client; None waits forever.
        timeout_reply: what :meth:`input` returns when the wait times out (``"exit"`` ends a chat,
            ``""`` lets the agent auto-reply); None raises :class:`InputTimeoutError` instead.
    """

    def __init__(
        self, websocket: Any, *, input_timeout: Optional[float] = None, timeout_reply: Optional[str] = None
    ) -> None:
        if input_timeout is not None and input_timeout <= 0:
            raise ValueError(f"input_timeout must be positive seconds or None, got {input_timeout!r}")
        self._websocket = websocket
        self.input_timeout = input_timeout
        self.timeout_reply = timeout_reply

    @property
    def websocket(self) -> Any:
        """The underlying connection."""
        return self._websocket

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Send the objects to the client as one text message."""
        self._websocket.send(sep.join(map(str, objects)) + end)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Send ``prompt`` (if any), then return the client's next message as text.

        Raises:
            InputTimeoutError: no message arrived within ``input_timeout`` and no ``timeout_reply`` is set.
        """
        if prompt:
            self.print(prompt, end="")
        try:
            message = self._websocket.recv(timeout=self.input_timeout)
        except TimeoutError:
            if self.timeout_reply is not None:
                return self.timeout_reply
            raise InputTimeoutError(f"no input from the websocket client within {self.input_timeout:g} s") from None
        return message.decode("utf-8") if isinstance(message, bytes) else str(message)

    @staticmethod
    @contextmanager
    def run_server_in_thread(
        *,
        host: str = "127.0.0.1",
        port: int = 8765,
        on_connect: Callable[[IOWebsockets], None],
        ssl_context: Any = None,
        input_timeout: Optional[float] = None,
        timeout_reply: Optional[str] = None,
        **kwargs: Any,
    ) -> Iterator[str]:
        """Serve websockets on a background thread; yields the URI clients connect to.

        Args:
            host: interface to listen on.
            port: port to listen on (0 picks a free one; the URI names the real port).
            on_connect: called with each connection's stream, on that connection's own thread,
                with the stream set as the default (``IOStream.get_default()``).
            ssl_context: an ``ssl.SSLContext`` to serve ``wss://``.
            input_timeout: see :class:`IOWebsockets`.
            timeout_reply: see :class:`IOWebsockets`.
            **kwargs: passed to ``websockets.sync.server.serve``.
        """
        if not callable(on_connect):
            raise TypeError(f"on_connect must be a callable taking an IOWebsockets, got {on_connect!r}")
        server_module = _import_websockets_sync()

        def handle(websocket: Any) -> None:
            stream = IOWebsockets(websocket, input_timeout=input_timeout, timeout_reply=timeout_reply)
            _run_on_connect(on_connect, stream)

        # websockets >= 13 calls the TLS option `ssl`; 12 called it `ssl_context`
        ssl_key = "ssl" if "ssl" in inspect.signature(server_module.serve).parameters else "ssl_context"
        server = server_module.serve(handle, host, port, **{ssl_key: ssl_context}, **kwargs)
        bound_port = server.socket.getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        uri = f"{'wss' if ssl_context is not None else 'ws'}://{shown_host}:{bound_port}"
        thread = threading.Thread(target=server.serve_forever, name=f"iowebsockets-{bound_port}", daemon=True)
        thread.start()
        try:
            yield uri
        finally:
            server.shutdown()
            thread.join(10)


def _run_on_connect(on_connect: Callable[[IOWebsockets], None], stream: IOWebsockets) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        with IOStream.set_default(stream):
            on_connect(stream)
    except ConnectionClosed:
        logger.info("websocket client disconnected")
    except InputTimeoutError as err:
        logger.warning("closing websocket: %s", err)
        stream.websocket.close(code=1000, reason="input timed out")
