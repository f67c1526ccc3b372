"""``autogen config check``: validate OAI_CONFIG_LIST and ask every endpoint for a one-word answer."""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.table import Table

from autogen.oai.providers import provider_for

from ._console import make_console
from ._endpoints import ENV_VAR, load_config_list
from ._errors import CommandError

__all__ = ["CheckResult", "check_entry", "run_config_check"]

_PROBE = [{"role": "user", "content": "Reply with the single word OK."}]


@dataclass
class CheckResult:
    """How one config entry answered."""

    ok: bool
    detail: str


async def check_entry(entry: dict[str, Any], timeout: float) -> CheckResult:
    """Send one tiny chat completion through the normal client path; never raises."""
    from autogen.oai.client import OpenAIWrapper

    started = time.perf_counter()
    try:
        client = OpenAIWrapper(config_list=[dict(entry)], cache_seed=None, timeout=timeout, max_retries=0)
        response = await asyncio.wait_for(client.a_create(messages=_PROBE, max_tokens=5), timeout + 1)
    except Exception as err:  # every failure is a line in the report
        return CheckResult(False, _failure_reason(err))
    seconds = time.perf_counter() - started
    model = getattr(response, "model", None) or entry["model"]
    return CheckResult(True, f"answered in {seconds:.1f} s (model {model})")


def _failure_reason(err: BaseException) -> str:
    """The useful last line of an error: the wrapper's summary names the config, which the table shows."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    reason = re.sub(r"^config \d+ \(.*?\) (failed( after \d+ tries?)?: )?", "", lines[-1])
    return reason if len(lines) > 1 else f"{type(err).__name__}: {reason}"


async def _check_all(config_list: list[dict[str, Any]], timeout: float) -> list[CheckResult]:
    return list(await asyncio.gather(*(check_entry(entry, timeout) for entry in config_list)))


def run_config_check(args: argparse.Namespace) -> int:
    """Print one row per config entry; exit 0 only if every endpoint answered."""
    from autogen._sync import run_sync

    console = make_console()
    config_list, source = load_config_list(args.config)
    if not config_list:
        raise CommandError(
            f"no model configuration found: set ${ENV_VAR} to a JSON list (or a file holding one), "
            f'e.g. [{{"model": "gpt-4o-mini", "api_key": "sk-..."}}], or create ./{ENV_VAR}'
        )
    console.print(f"{len(config_list)} valid entr{'y' if len(config_list) == 1 else 'ies'} in {source}", markup=False)
    with console.status("asking each endpoint for a one-word answer..."):
        results = run_sync(_check_all(config_list, args.timeout))
    table = Table("#", "model", "api type", "endpoint", "api key", "result")
    for index, (entry, result) in enumerate(zip(config_list, results)):
        provider = provider_for(entry.get("api_type"))
        default_endpoint = provider.endpoint if provider is not None else "api.openai.com"
        key_name = provider.credential_key if provider is not None else "api_key"
        table.add_row(
            str(index),
            escape(entry["model"]),
            escape(entry.get("api_type") or "openai"),
            escape(entry.get("base_url") or entry.get("azure_endpoint") or default_endpoint),
            "set" if entry.get(key_name) else "from environment",
            ("[green]OK[/green] " if result.ok else "[red]FAILED[/red] ") + escape(result.detail),
        )
    console.print(table)
    failed = sum(not r.ok for r in results)
    if failed:
        console.print(f"[red]{failed} of {len(results)} endpoints did not answer[/red]")
        return 1
    console.print("[green]all endpoints answered[/green]")
    return 0
