"""IOWebsockets: a real websockets server and client carry agent output and human input."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from autogen.io import IOStream, IOWebsockets
from autogen.io.websockets import InputTimeoutError


def _serve(on_connect, **kw):
    return IOWebsockets.run_server_in_thread(on_connect=on_connect, port=0, **kw)


def test_print_sends_one_text_message_per_call():
    def on_connect(stream: IOWebsockets) -> None:
        stream.print("hello", 42, sep="-", end="!")

    with _serve(on_connect) as uri, connect(uri) as client:
        assert client.recv(timeout=10) == "hello-42!"


def test_input_sends_the_prompt_then_returns_the_next_client_message():
    def on_connect(stream: IOWebsockets) -> None:
        answer = stream.input("name? ")
        stream.print(f"got {answer}")

    with _serve(on_connect) as uri, connect(uri) as client:
        assert client.recv(timeout=10) == "name? "
        client.send("Ada")
        assert client.recv(timeout=10) == "got Ada\n"


def test_binary_client_messages_are_decoded_as_utf8():
    def on_connect(stream: IOWebsockets) -> None:
        stream.print(stream.input())

    with _serve(on_connect) as uri, connect(uri) as client:
        client.send("héllo".encode())
        assert client.recv(timeout=10) == "héllo\n"


def test_the_connection_stream_is_the_default_stream_inside_on_connect():
    seen: list[bool] = []

    def on_connect(stream: IOWebsockets) -> None:
        seen.append(IOStream.get_default() is stream)
        IOStream.get_default().print("via default")

    with _serve(on_connect) as uri, connect(uri) as client:
        assert client.recv(timeout=10) == "via default\n"
    assert seen == [True]


def test_uri_names_the_real_port_when_port_zero_is_asked():
    with _serve(lambda stream: None) as uri:
        assert uri.startswith("ws://127.0.0.1:")
        assert not uri.endswith(":0")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_an_ssl_context_serves_wss(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_cert = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    make_cert += ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(make_cert, check=True, capture_output=True)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))

    with _serve(lambda stream: stream.print("secure"), ssl_context=server_context) as uri:
        assert uri.startswith("wss://127.0.0.1:")
        with connect(uri, ssl=client_context) as client:
            assert client.recv(timeout=10) == "secure\n"


def test_input_timeout_raises_input_timeout_error_without_a_timeout_reply():
    stream = IOWebsockets(_SilentSocket(), input_timeout=0.05)
    with pytest.raises(InputTimeoutError, match=r"within 0\.05 s"):
        stream.input()


def test_input_timeout_returns_the_timeout_reply_when_one_is_set():
    stream = IOWebsockets(_SilentSocket(), input_timeout=0.05, timeout_reply="exit")
    assert stream.input("go? ") == "exit"


def test_server_closes_the_connection_cleanly_when_input_times_out():
    def on_connect(stream: IOWebsockets) -> None:
        stream.input("waiting: ")

    with _serve(on_connect, input_timeout=0.2) as uri, connect(uri) as client:
        assert client.recv(timeout=10) == "waiting: "
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1000
    assert closed.value.rcvd.reason == "input timed out"


def test_non_positive_input_timeout_is_rejected():
    with pytest.raises(ValueError, match="input_timeout"):
        IOWebsockets(_SilentSocket(), input_timeout=0)


def test_non_callable_on_connect_is_rejected():
    with pytest.raises(TypeError, match="on_connect"), IOWebsockets.run_server_in_thread(on_connect="nope", port=0):
        pass


def test_human_input_mode_always_is_driven_by_a_websocket_client(server, llm_config):
    from autogen import AssistantAgent, UserProxyAgent

    server.script("First answer.", "Second answer.")
    done = threading.Event()
    results = []

    def on_connect(stream: IOWebsockets) -> None:
        assistant = AssistantAgent("assistant", llm_config=llm_config)
        user = UserProxyAgent("user", human_input_mode="ALWAYS", code_execution_config=False)
        results.append(user.initiate_chat(assistant, message=stream.input()))
        done.set()

    with _serve(on_connect) as uri, connect(uri) as client:
        client.send("What is 1 + 1?")
        transcript = _read_until(client, "First answer.")
        _read_until(client, "exit")  # the human-input prompt (it explains how to end)
        client.send("And 2 + 2?")
        transcript += _read_until(client, "Second answer.")
        _read_until(client, "exit")
        client.send("exit")
        assert done.wait(10)
    assert "What is 1 + 1?" in transcript
    assert [m["content"] for m in server.chat_requests[1]["messages"] if m["role"] == "user"][-1] == "And 2 + 2?"
    assert results[0].chat_history[-1]["content"] == "Second answer."


def _read_until(client, needle: str) -> str:
    text = ""
    while needle not in text:
        text += client.recv(timeout=10)
    return text


class _SilentSocket:
    """A connection whose client never says anything."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message: str) -> None:
        self.sent.append(message)

    def recv(self, timeout=None):
        threading.Event().wait(timeout)
        raise TimeoutError
