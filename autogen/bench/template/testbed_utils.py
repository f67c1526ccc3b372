"""Helpers AutoGenBench scenarios import as ``testbed_utils`` (provided by ``autogen bench run``).

``init()`` records when the run started and starts the runtime log (``telemetry.db``);
``finalize(agents)`` saves each agent's messages and the run's usage (``bench_usage.json``: the
cost a ``ChatResult`` reports, summed over the agents) and stops the log.
"""

import json
import os
from datetime import datetime

import autogen
import autogen.runtime_logging

_HERE = os.path.dirname(os.path.realpath(__file__))


def default_llm_config(config_list, timeout=180):
    """An ``llm_config`` for ``config_list`` with a request timeout and the cache off."""
    return {"config_list": config_list, "timeout": timeout, "cache_seed": None}


def init():
    """Write ``timestamp.txt`` and start the runtime log in ``telemetry.db``."""
    with open(os.path.join(_HERE, "timestamp.txt"), "w") as fh:
        fh.write(f"Timestamp: {datetime.now().isoformat()}\n")
        fh.write(f"autogen version: {autogen.__version__}\n")
    autogen.runtime_logging.start(config={"dbname": os.path.join(_HERE, "telemetry.db")})


def finalize(agents):
    """Save each agent's messages (``<name>_messages.json``) and the run's usage; stop the runtime log."""
    turns = 0
    for agent in agents:
        messages = {other.name: list(history) for other, history in agent.chat_messages.items()}
        turns = max([turns] + [len(history) for history in messages.values()])
        with open(os.path.join(_HERE, f"{agent.name}_messages.json"), "w") as fh:
            json.dump(messages, fh, indent=4, default=str)
    usage = autogen.gather_usage_summary(list(agents))
    with open(os.path.join(_HERE, "bench_usage.json"), "w") as fh:
        json.dump({"usage": usage, "turns": turns}, fh, indent=2, default=str)
    autogen.runtime_logging.stop()
