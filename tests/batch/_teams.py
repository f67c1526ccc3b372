"""Module-level team factories for the batch tests (Ray pickles them by reference to this module)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from autogen import AssistantAgent, UserProxyAgent


def two_agents(config_list: list[dict[str, Any]]) -> tuple[UserProxyAgent, AssistantAgent]:
    """A user proxy that asks once and an assistant on ``config_list`` (cache off)."""
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0)
    assistant = AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": None})
    return user, assistant


def victim_once(pid_file: str, config_list: list[dict[str, Any]]) -> tuple[UserProxyAgent, AssistantAgent]:
    """The first call writes its process id to ``pid_file`` and hangs (to be killed); later calls build the team."""
    try:
        fd = os.open(pid_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return two_agents(config_list)
    with os.fdopen(fd, "w") as out:
        out.write(str(os.getpid()))
    while True:  # until the test kills this worker
        time.sleep(0.1)


def counting(item: tuple[str, int]) -> int:
    """Appends one line per attempt to the file ``item[0]``; raises for an odd number, doubles an even one."""
    path, number = item
    with Path(path).open("a") as out:
        out.write(f"{number}\n")
    if number % 2:
        raise ValueError(f"odd number {number}")
    return number * 2


def assigned_cpus(_: object) -> float:
    """The CPUs Ray reserved for the task this runs in."""
    import ray

    return float(ray.get_runtime_context().get_assigned_resources().get("CPU", 0.0))


def slow_square(number: int) -> tuple[int, float, float]:
    """``number**2`` with the wall-clock interval it ran in (sleeps 0.3 s)."""
    started = time.time()
    time.sleep(0.3)
    return number * number, started, time.time()
