"""``OpenAIWrapper``: multi-config LLM inference with fallback, retries, cache, templating and usage.

``a_create`` is the one implementation; ``create`` runs it from sync code (``autogen._sync.run_sync``).
For each config of the config list, in order:

1. merge the call's parameters under the config, fill templates from ``context``;
2. with a cache (``cache=`` or an int ``cache_seed``), a hit is returned without a request and counted
   in total usage only;
3. otherwise send the request, each attempt bounded as a whole by the config's ``timeout`` (default
   60 s); retryable errors (timeouts, connection errors, broken streams, garbage or empty bodies,
   408/409/429, 5xx) are retried with backoff up to the config's ``max_retries`` (default 2); other
   API errors (400, 401, 403, 404, too large answers, ...) move straight on to the next config. Errors
   of custom model clients count the same way (see :func:`autogen.oai.retry.is_retryable`); any other
   exception is a bug and is raised as itself;
4. ``filter_func(context=..., response=...)`` false moves on too; the last config's response is returned
   anyway, with ``pass_filter=False``.

When no config gives a response, one error lists every config tried and why (see :mod:`.errors`).
Nothing from a failed call is cached or counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import sys
import uuid
from collections.abc import Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .. import runtime_logging
from .._sync import run_sync
from ..budget import Reservation, Spend, applicable
from ..io.base import IOStream
from ..logger.redact import register_secret
from . import openai_client
from .config_check import check_config
from .model_client import ModelClient, ModelClientNotRegisteredError, PlaceHolderClient
from .openai_client import OpenAIClient, attempt_deadline, retrieve_messages
from .openai_utils import get_key
from .params import CLIENT_KWARGS, EXTRA_KWARGS, SECRET_KWARGS, public_view, split_create_config
from .pricing import compute_cost, normalize_price
from .providers import make_provider_client, provider_for
from .scrub import is_credential_header, scrub_error
from .templating import apply_context, instantiate
from .usage import UsageTracker, format_usage_summary

if TYPE_CHECKING:
    from .errors import Attempt

# The error and retry modules (and the openai SDK their error classes come from) load on the first
# error: a chat that meets none never imports openai.

__all__ = ["LEGACY_CACHE_DIR", "LEGACY_DEFAULT_CACHE_SEED", "ModelClient", "OpenAIClient", "OpenAIWrapper"]

logger = logging.getLogger(__name__)

LEGACY_DEFAULT_CACHE_SEED = 41
LEGACY_CACHE_DIR = ".cache"


class _ConfigFailed(Exception):
    """One config gave no answer (after its retries)."""

    def __init__(self, error: BaseException, tries: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.tries = tries
        self.start_time = ""


class OpenAIWrapper:
    """A client over a list of model configs, tried in order.

    Args:
        config_list: the configs (each a dict with ``model`` and endpoint options). None uses
            ``base_config`` as the only config.
        **base_config: options merged under every config (``cache_seed``, ``timeout``, ``temperature``, ...).

    Raises:
        ValueError: ``config_list`` is empty or holds something that is not a dict, or a config is unusable.
    """

    extra_kwargs = EXTRA_KWARGS
    openai_kwargs = CLIENT_KWARGS

    def __init__(self, *, config_list: Optional[list[dict[str, Any]]] = None, **base_config: Any) -> None:
        if config_list is not None:
            if not isinstance(config_list, (list, tuple)):
                raise TypeError(f"config_list must be a list of dicts, got {type(config_list).__name__}")
            if not config_list:
                reason = getattr(config_list, "empty_reason", None)
                raise ValueError(
                    f"config_list is empty: {reason}. Change the filter or add matching configs."
                    if reason
                    else "config_list is empty: there is no model to call. Give at least one config "
                    '(e.g. [{"model": "gpt-4o-mini", "api_key": "..."}]).'
                )
            for i, config in enumerate(config_list):
                if not isinstance(config, dict):
                    # The entry itself is not shown: it may hold a key.
                    raise ValueError(
                        f"config_list[{i}] must be a dict, got a {type(config).__name__}. Write each entry as "
                        '{"model": "...", "api_key": "...", ...}.'
                    )
            configs = [{**base_config, **config} for config in config_list]
            names = [f"config_list[{i}]" for i in range(len(configs))]
        else:
            configs = [dict(base_config)]
            names = ["OpenAIWrapper config"]
        for config, name in zip(configs, names):
            _register_secrets(config)
            check_config(config, name)
        if runtime_logging.logging_enabled():
            runtime_logging.log_new_wrapper(self, _loggable({"config_list": config_list, **base_config}))
        self._clients: list[Any] = []
        self._config_list: list[dict[str, Any]] = []
        # Seconds each config's attempt may take in all (the SDK's timeouts bound single reads only),
        # and how often a failed attempt is retried (custom clients included).
        self._deadlines: list[Optional[float]] = []
        self._max_retries: list[int] = []
        for config in configs:
            create_defaults, extra = split_create_config(config)
            self._config_list.append({**extra, **create_defaults})
            self._clients.append(self._make_client(config, extra))
            timeout = config.get("timeout")
            self._deadlines.append(attempt_deadline(openai_client.DEFAULT_TIMEOUT if timeout is None else timeout))
            self._max_retries.append(int(config.get("max_retries", openai_client.DEFAULT_MAX_RETRIES) or 0))
        self._usage = UsageTracker()
        self.wrapper_id = id(self)

    def _make_client(self, config: dict[str, Any], extra: dict[str, Any]) -> Any:
        if extra.get("model_client_cls"):
            return PlaceHolderClient(config)
        api_type = extra.get("api_type")
        if provider_for(api_type) is not None:
            client: Any = make_provider_client(str(api_type), config)
        else:
            client = OpenAIClient(config, api_type=api_type, price=extra.get("price"))
        if runtime_logging.logging_enabled():
            runtime_logging.log_new_client(client, self, _loggable(config))
        return client

    def __repr__(self) -> str:
        return f"OpenAIWrapper(clients={self._clients!r})"

    # ---- custom clients ----------------------------------------------------------------------------
    def register_model_client(self, model_client_cls: type, **kwargs: Any) -> None:
        """Use ``model_client_cls`` for every config whose ``model_client_cls`` names it.

        The class is built as ``model_client_cls(config, **kwargs)``.

        Raises:
            ValueError: no config names this class.
        """
        found = False
        for i, client in enumerate(self._clients):
            if isinstance(client, PlaceHolderClient) and client.config["model_client_cls"] == model_client_cls.__name__:
                self._clients[i] = model_client_cls(client.config, **kwargs)
                found = True
                if runtime_logging.logging_enabled():
                    runtime_logging.log_new_client(self._clients[i], self, _loggable(client.config))
        if found:
            return
        if any(isinstance(c, model_client_cls) for c in self._clients):
            logger.warning("Model client %s is already registered.", model_client_cls.__name__)
            return
        raise ValueError(
            f'register_model_client({model_client_cls.__name__}): no config has "model_client_cls": '
            f'"{model_client_cls.__name__}". Add such an entry to the config_list.'
        )

    def _check_clients_ready(self) -> None:
        missing = [c.config["model_client_cls"] for c in self._clients if isinstance(c, PlaceHolderClient)]
        if missing:
            raise ModelClientNotRegisteredError(
                f"Model client(s) {missing} are not registered: call wrapper.register_model_client(cls) for each "
                "(an agent: agent.register_model_client(cls)), or filter those configs out of the config_list."
            )

    # ---- inference -----------------------------------------------------------------------------------
    def create(self, **config: Any) -> Any:
        """Get a completion; see :meth:`a_create`."""
        return run_sync(self.a_create(**config))

    async def a_create(self, **config: Any) -> Any:
        """Get a completion from the first config that gives one (see the module docstring).

        Args:
            **config: request parameters (``messages`` or ``prompt``, ``tools``, ``temperature``,
                ``stream``, ...) and wrapper options (``context``, ``allow_format_str_template``,
                ``filter_func``, ``cache``, ``cache_seed``, ``agent``). A config-list entry overrides them.

        Returns:
            The completion, with ``cost``, ``config_id`` and ``pass_filter`` set.

        Raises:
            AllConfigsFailedError: (also an instance of the last underlying error's class) no config answered.
        """
        self._check_clients_ready()
        attempts: list[Attempt] = []
        rejected = None
        last = len(self._clients) - 1
        for i, client in enumerate(self._clients):
            params, extra = self._request_params(i, client, config)
            try:
                response = await self._answer(client, params, extra, i)
            except _ConfigFailed as failed:
                attempts.append(_attempt(i, client, params, failed))
                if runtime_logging.logging_enabled():
                    error = {"error": attempts[-1].describe(self._secrets()).strip()}
                    _log_completion(self, client, extra.get("agent"), params, error, False, failed.start_time)
                continue
            response.message_retrieval_function = client.message_retrieval
            filter_func = extra.get("filter_func")
            pass_filter = filter_func is None or bool(filter_func(context=extra.get("context"), response=response))
            response.config_id = i
            response.pass_filter = pass_filter
            if pass_filter or i == last:
                return response
            rejected = response
        if rejected is not None:
            return rejected  # the last config failed: the best answer is the last one the filter rejected
        from .errors import all_configs_failed

        raise all_configs_failed(attempts, self._secrets())

    def _request_params(self, i: int, client: Any, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The request parameters for config ``i`` (templates filled) and the wrapper options."""
        create_config, extra = split_create_config({**config, **self._config_list[i]})
        if getattr(client, "azure", False) and isinstance(create_config.get("model"), str):
            create_config["model"] = create_config["model"].replace(".", "")  # Azure deployment names
        params = apply_context(create_config, extra.get("context"), bool(extra.get("allow_format_str_template")))
        return params, extra

    async def _answer(self, client: Any, params: dict[str, Any], extra: dict[str, Any], index: int) -> Any:
        """The response from the cache or the endpoint, with its cost set and its usage counted."""
        start_time = _now() if runtime_logging.logging_enabled() else ""
        with _open_cache(extra.get("cache"), extra.get("cache_seed")) as cache:
            key = get_key(params) if cache is not None else None
            response = cache.get(key) if cache is not None else None
            cached = response is not None
            if response is not None:
                if getattr(response, "cost", None) is None:
                    response.cost = client.cost(response)
            else:
                reservation = _reserve_budgets(params, extra)  # raises BudgetExceeded: the call is not made
                try:
                    response = await self._call_with_retries(
                        client, params, self._deadlines[index], self._max_retries[index]
                    )
                except BaseException as failed:
                    if reservation is not None:
                        reservation.settle(None)
                    if isinstance(failed, _ConfigFailed):
                        failed.start_time = start_time
                    raise
                response.cost = client.cost(response)
                if reservation is not None:
                    reservation.settle(_spend_of(client.get_usage(response), response.cost))
                if cache is not None:
                    cache.set(key, response)  # only answers are cached, never failures
        self._usage.record(client.get_usage(response), cached=cached)
        if runtime_logging.logging_enabled():
            _log_completion(self, client, extra.get("agent"), params, response, cached, start_time or _now())
        return response

    async def _call_with_retries(
        self, client: Any, params: dict[str, Any], deadline: Optional[float], max_retries: int
    ) -> Any:
        tries = 0
        while True:
            tries += 1
            try:
                return _checked(await _within(_invoke(client, params), deadline, getattr(client, "base_url", None)))
            except Exception as err:
                from .errors import StreamInterruptedError
                from .retry import DEFAULT_RETRY_POLICY, is_retryable, moves_to_next_config

                if not moves_to_next_config(err):
                    scrub_error(err)
                    raise  # a bug or a refusal: raised as itself
                if tries > max_retries or not is_retryable(err):
                    raise _ConfigFailed(scrub_error(err), tries) from err
                delay = DEFAULT_RETRY_POLICY.delay(tries - 1, err)
                logger.debug("%r: %s; retry %d in %.2fs", client, type(err).__name__, tries, delay)
                if isinstance(err, StreamInterruptedError):
                    IOStream.get_default().print("[the stream broke off; retrying]", flush=True)
                await asyncio.sleep(delay)

    def _secrets(self) -> list[str]:
        secrets: list[str] = []
        for client in self._clients:
            secrets += getattr(client, "secrets", [])
            config = getattr(client, "config", None)
            if isinstance(config, dict) and isinstance(config.get("api_key"), str):
                secrets.append(config["api_key"])
        return secrets

    # ---- helpers of the 0.2 API ----------------------------------------------------------------------
    @classmethod
    def instantiate(
        cls,
        template: Union[str, Callable[[dict[str, Any]], str], None],
        context: Optional[dict[str, Any]] = None,
        allow_format_str_template: bool = False,
    ) -> Any:
        """Fill ``template`` from ``context`` (see :func:`autogen.oai.templating.instantiate`)."""
        return instantiate(template, context, allow_format_str_template)

    @classmethod
    def extract_text_or_completion_object(cls, response: Any) -> Union[list[str], list[Any]]:
        """The texts of a response's choices, or message objects for choices that call tools/functions."""
        retrieve = getattr(response, "message_retrieval_function", None)
        if retrieve is None:
            return retrieve_messages(response)
        return retrieve(response)

    # ---- usage ---------------------------------------------------------------------------------------
    @property
    def total_usage_summary(self) -> Optional[dict[str, Any]]:
        """Usage of every response, cache hits included (None before the first)."""
        return self._usage.total

    @total_usage_summary.setter
    def total_usage_summary(self, value: Optional[dict[str, Any]]) -> None:
        self._usage.total = value

    @property
    def actual_usage_summary(self) -> Optional[dict[str, Any]]:
        """Usage of the responses that were actually requested (no cache hits)."""
        return self._usage.actual

    @actual_usage_summary.setter
    def actual_usage_summary(self, value: Optional[dict[str, Any]]) -> None:
        self._usage.actual = value

    def print_usage_summary(self, mode: Union[str, list[str]] = ["actual", "total"]) -> None:  # noqa: B006
        """Print the usage summary to the current IOStream (``mode``: "actual", "total" or both)."""
        text = format_usage_summary(self._usage.total, self._usage.actual, mode)
        IOStream.get_default().print(text, flush=True)

    def clear_usage_summary(self) -> None:
        """Forget all usage."""
        self._usage.clear()


def _register_secrets(config: dict[str, Any]) -> None:
    """Remember the config's secrets, so that logs, errors and pickles never show them."""
    for name in SECRET_KWARGS:
        register_secret(config.get(name))
    headers = config.get("default_headers")
    if isinstance(headers, dict):
        for name, value in headers.items():
            if isinstance(name, str) and is_credential_header(name):
                register_secret(value)


if sys.version_info >= (3, 11):

    async def _within(coro: Coroutine[Any, Any, Any], seconds: Optional[float], base_url: Optional[str]) -> Any:
        """Await ``coro``, cancelling it after ``seconds`` (body and stream included)."""
        if seconds is None:
            return await coro
        deadline = asyncio.timeout(seconds)
        try:
            async with deadline:
                return await coro
        except TimeoutError:
            if deadline.expired():
                from .errors import AttemptTimeoutError

                raise AttemptTimeoutError(seconds, base_url) from None
            raise

else:  # pragma: no cover - Python 3.9/3.10

    async def _within(coro: Coroutine[Any, Any, Any], seconds: Optional[float], base_url: Optional[str]) -> Any:
        """Await ``coro``, cancelling it after ``seconds`` (body and stream included)."""
        if seconds is None:
            return await coro
        try:
            return await asyncio.wait_for(coro, seconds)
        except asyncio.TimeoutError:
            from .errors import AttemptTimeoutError

            raise AttemptTimeoutError(seconds, base_url) from None


def _checked(response: Any) -> Any:
    """``response``, unless it has no choices to read an answer from (any client's: retried as invalid)."""
    choices = getattr(response, "choices", None)
    if isinstance(choices, (list, tuple)) and not choices:
        from .errors import InvalidResponseError

        raise InvalidResponseError("The model client's answer has no choices ('choices' is empty).")
    return response


async def _invoke(client: Any, params: dict[str, Any]) -> Any:
    a_create = getattr(client, "a_create", None)
    if a_create is not None and inspect.iscoroutinefunction(a_create):
        return await a_create(params)
    return await asyncio.to_thread(client.create, params)  # a custom client with a blocking create()


@contextlib.contextmanager
def _open_cache(cache: Any, cache_seed: Any) -> Iterator[Any]:
    """The cache to use: ``cache`` as given (left open), else a disk cache for an int/str seed, else None."""
    if cache is not None:
        if not (hasattr(cache, "get") and hasattr(cache, "set")):
            raise TypeError(f"cache must be an AbstractCache (with get/set), such as Cache.disk(); got {cache!r}")
        yield cache
        return
    if cache_seed is None or isinstance(cache_seed, bool):
        yield None
        return
    if not isinstance(cache_seed, (int, str)):
        raise TypeError(f"cache_seed must be an int (or str) naming a disk cache, or None; got {cache_seed!r}")
    from ..cache.cache import Cache

    with Cache.disk(cache_seed, LEGACY_CACHE_DIR) as disk:
        yield disk


def _attempt(index: int, client: Any, params: dict[str, Any], failed: _ConfigFailed) -> Attempt:
    from .errors import Attempt

    return Attempt(
        index=index,
        model=params.get("model"),
        base_url=getattr(client, "base_url", None),
        error=failed.error,
        tries=failed.tries,
    )


def _loggable(config: dict[str, Any]) -> dict[str, Any]:
    view = public_view(config)
    if isinstance(config.get("config_list"), list):
        view["config_list"] = [public_view(c) if isinstance(c, dict) else c for c in config["config_list"]]
    return view


def _now() -> str:
    from ..logger.logger_utils import get_current_ts

    return get_current_ts()


def _log_completion(
    wrapper: OpenAIWrapper,
    client: Any,
    agent: Any,
    params: dict[str, Any],
    response: Any,
    cached: bool,
    start_time: str,
) -> None:
    runtime_logging.log_chat_completion(
        invocation_id=uuid.uuid4(),
        client_id=id(client),
        wrapper_id=id(wrapper),
        agent=agent,
        request=params,
        response=response,
        is_cached=int(cached),
        cost=getattr(response, "cost", 0.0),
        start_time=start_time,
    )


def _reserve_budgets(params: dict[str, Any], extra: dict[str, Any]) -> Optional[Reservation]:
    """Reserve the call's estimate on the budgets that apply (the chat's, the agent's, the global one)."""
    budgets = applicable(extra.get("budgets") or ())
    if not budgets:
        return None
    from ..token_count_utils import count_token

    model = str(params.get("model") or "")
    prompt = count_token(params.get("messages") or params.get("prompt") or "", model)
    bound = min(b.completion_estimate for b in budgets)
    completion = int(params.get("max_tokens") or params.get("max_completion_tokens") or bound)
    price = normalize_price(extra.get("price"))
    usd = compute_cost(model, prompt, completion, price)
    return Reservation(budgets, Spend(usd, prompt + completion, 1))


def _spend_of(usage: dict[str, Any], cost: Any) -> Spend:
    tokens = int(usage.get("prompt_tokens") or 0) + int(usage.get("completion_tokens") or 0)
    return Spend(float(cost or 0.0), tokens, 1)
