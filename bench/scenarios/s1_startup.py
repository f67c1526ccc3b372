"""Scenario 1: import time of ``autogen``, and a new process's time to its first chat reply."""

from __future__ import annotations

import sys
import time

_START = time.perf_counter()
import autogen  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _START
HEAVY = ("openai", "httpx", "pydantic", "aiohttp", "numpy", "docker", "pandas", "tiktoken", "rich", "redis")
HEAVY_AT_IMPORT = [m for m in HEAVY if m in sys.modules]

import _common  # noqa: E402


def scenario(ctx: _common.Context) -> dict:
    assistant = autogen.AssistantAgent(
        "bench_assistant", system_message="You answer briefly.", llm_config=ctx.llm_config()
    )
    user = autogen.UserProxyAgent("bench_user", human_input_mode="NEVER", code_execution_config=False, llm_config=False)
    user.initiate_chat(assistant, message="Hello there.", max_turns=1)
    replied = time.time()
    return {
        "first_reply_epoch": replied,
        "heavy_modules_at_reply": [m for m in HEAVY if m in sys.modules],
        "import_ms": IMPORT_SECONDS * 1000,
        "heavy_modules_at_import": HEAVY_AT_IMPORT,
    }


if __name__ == "__main__":
    _common.run(scenario)
