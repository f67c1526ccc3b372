"""The benchmark's LLM: the project's scripted OpenAI-compatible server, run in its own process.

It answers every completion request from a fixed policy, so the same scenario code drives
both implementations without scripting per request:

- a request whose messages contain ``BENCH-SELECT`` (a speaker-selection prompt) gets the name
  of one of the ``bench_*`` agents listed in that prompt, rotating through them;
- one containing ``BENCH-GARBAGE`` (a selection prompt whose selector is broken) gets a reply
  that names no agent;
- one that offers tools and whose last message is not a tool result gets a call to the first
  tool, with ``{"a": 2, "b": 3}`` as arguments;
- any other request gets the same text of ``--reply-chars`` characters.

A request for the model ``bench-stats`` is not counted: it answers, as JSON text, how many
completion requests (and tokens, by the server's own count) were served so far.

Run: ``python bench/server.py --port 0 --latency 0.05`` prints ``serving on URL`` when ready.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import threading
import time
from typing import Any

from autogen.testing.openai_server import OpenAITestServer, count_tokens

AGENT_NAME = re.compile(r"\bbench_\w+")


def _message_text(message: dict) -> str:
    content = message.get("content")
    return content if isinstance(content, str) else json.dumps(content) if content else ""


def _prompt_tokens(body: dict) -> int:
    total = sum(count_tokens(_message_text(m)) + 3 for m in body.get("messages", []))
    if body.get("tools"):
        total += count_tokens(json.dumps(body["tools"]))
    return total


class BenchPolicy:
    """Decides every reply and keeps the counters that ``bench-stats`` reports."""

    def __init__(self, reply_chars: int) -> None:
        self.text = ("The quick brown fox jumps over the lazy dog. " * (reply_chars // 45 + 1))[:reply_chars]
        self.lock = threading.Lock()
        self.calls = 0
        self.selections = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.streamed = 0
        self.server: OpenAITestServer | None = None

    def __call__(self, body: dict) -> Any:
        if body.get("model") == "bench-stats":
            return self._stats()
        reply = self._decide(body)
        content = reply.get("content") if isinstance(reply, dict) else reply
        with self.lock:
            self.calls += 1
            self.streamed += bool(body.get("stream"))
            self.prompt_tokens += _prompt_tokens(body)
            if isinstance(reply, dict) and reply.get("tool_calls"):
                self.completion_tokens += count_tokens(json.dumps(reply["tool_calls"]))
            else:
                self.completion_tokens += count_tokens(content or "")
        return reply

    def _decide(self, body: dict) -> Any:
        messages = body.get("messages") or []
        texts = [_message_text(m) for m in messages]
        if any("BENCH-GARBAGE" in t for t in texts):
            return "Hard to say, maybe someone else should talk now."
        for text in texts:
            if "BENCH-SELECT" in text:
                names = list(dict.fromkeys(AGENT_NAME.findall(text)))
                with self.lock:
                    self.selections += 1
                    pick = names[self.selections % len(names)] if names else "nobody"
                return pick
        tools = body.get("tools") or []
        if tools and (not messages or messages[-1].get("role") != "tool"):
            name = tools[0]["function"]["name"]
            return {"tool_calls": [{"name": name, "arguments": {"a": 2, "b": 3}}]}
        return self.text

    def _stats(self) -> str:
        if self.server is not None:
            self.server.requests.clear()  # keep the request log from growing over a long run
        with self.lock:
            return json.dumps(
                {
                    "calls": self.calls,
                    "streamed": self.streamed,
                    "prompt_tokens": self.prompt_tokens,
                    "completion_tokens": self.completion_tokens,
                }
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--reply-chars", type=int, default=200)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))  # 1000 agents, 1000 sockets
    policy = BenchPolicy(args.reply_chars)
    server = OpenAITestServer(default_reply=policy, latency=args.latency, api_key=None, port=args.port)
    policy.server = server
    server.start()
    print(f"serving on {server.base_url}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
