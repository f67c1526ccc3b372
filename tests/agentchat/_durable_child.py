"""A durable group chat of four agents with tools, run in processes of its own by the crash tests.

Usage: python _durable_child.py BASE_URL DIR — a fork server: it imports everything once, then for each
line ``run RUN_ID`` on stdin forks a process that runs the chat (store DIR/runs.db, tool log
DIR/RUN_ID.tools, final messages DIR/RUN_ID.json) and answers ``pid N``; for ``wait N`` it answers
``exit CODE`` when that process ends. Each chat is a real process, so SIGKILL is a real crash.
"""

from __future__ import annotations

import json
import os
import sys

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent, register_function
from autogen.checkpoint import idempotent


def main(base_url: str, store: str, run_id: str, tool_log: str, out: str) -> None:
    def logged(line: str) -> None:
        with open(tool_log, "a") as f:
            f.write(line + "\n")

    @idempotent
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        logged(f"add {a} {b}")
        return a + b

    @idempotent
    def note(text: str) -> str:
        """Keep a note."""
        logged(f"note {text}")
        return f"noted: {text}"

    config = {
        "config_list": [
            {"model": "gpt-4o-mini", "base_url": base_url, "api_key": "sk-test-0123456789abcdef0123456789abcdef"}
        ],
        "cache_seed": None,
    }
    executor = UserProxyAgent("executor", human_input_mode="NEVER", code_execution_config=False)
    coder = AssistantAgent("coder", system_message="You are coder.", llm_config=config)
    reviewer = AssistantAgent("reviewer", system_message="You are reviewer.", llm_config=config)
    writer = AssistantAgent("writer", system_message="You are writer.", llm_config=config)
    register_function(add, caller=coder, executor=executor, description="Add two numbers.")
    register_function(note, caller=reviewer, executor=executor, description="Keep a note.")
    chat = GroupChat(
        [executor, coder, reviewer, writer], messages=[], max_round=14, speaker_selection_method="round_robin"
    )
    manager = GroupChatManager(chat, llm_config=False, silent=True)
    print("READY", flush=True)
    result = executor.initiate_chat(manager, message="task: count", checkpoint=store, run_id=run_id, silent=True)
    with open(out, "w") as f:
        json.dump({"messages": chat.messages, "stop_reason": result.stop_reason}, f)


def serve(base_url: str, folder: str) -> None:
    print("READY", flush=True)
    for line in sys.stdin:
        command, arg = line.split()
        if command == "run":
            pid = os.fork()
            if pid == 0:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the chat's printing must not mix with the protocol
                code = 0
                try:
                    main(base_url, f"{folder}/runs.db", arg, f"{folder}/{arg}.tools", f"{folder}/{arg}.json")
                except BaseException:
                    code = 1
                os._exit(code)
            print(f"pid {pid}", flush=True)
        elif command == "wait":
            _, status = os.waitpid(int(arg), 0)
            print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
