"""One ChatRun per conversation: chats that share agents never share a cache or other chat state."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from typing import Any, Optional

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager
from autogen.agentchat.chat_run import ChatRun, current_run
from autogen.cache import Cache

N_CHATS = 200
N_GROUPS = 20


def _tagged_answers(body: dict) -> dict:
    """Answer with the chat tag found in the request and how many messages it had (so each turn differs)."""
    text = " ".join(str(m.get("content") or "") for m in body["messages"])
    tag = re.findall(r"\[\[(\w+)\]\]", text)[0]
    return {"content": f"[[{tag}]] reply after {len(body['messages'])} messages", "delay": 0.02}


def _requests_per_tag(server: Any) -> Counter:
    counts: Counter = Counter()
    for body in server.chat_requests:
        text = " ".join(str(m.get("content") or "") for m in body["messages"])
        counts[re.findall(r"\[\[(\w+)\]\]", text)[0]] += 1
    return counts


def _caches(n: int, tmp_path: Any) -> list[Optional[Any]]:
    """Half in-memory, half on disk, every fifth none at all."""
    caches: list[Optional[Any]] = []
    for i in range(n):
        if i % 5 == 0:
            caches.append(None)
        elif i % 2:
            caches.append(Cache.in_memory(cache_seed=i))
        else:
            caches.append(Cache.disk(cache_seed=i, cache_path_root=str(tmp_path / "caches")))
    return caches


def _state(agent: ConversableAgent) -> dict[str, Any]:
    """What a chat must not change on an agent it merely uses."""
    return {
        "client_cache": agent.client_cache,
        "silent": agent.silent,
        "human_input_mode": agent.human_input_mode,
        "human_input": list(agent._human_input),
        "reply_funcs": [(e["reply_func"], e["config"]) for e in agent._reply_func_list],
        "llm_config": dict(agent.llm_config) if agent.llm_config else agent.llm_config,
    }


@pytest.mark.slow
async def test_two_hundred_concurrent_chats_sharing_one_assistant_each_use_their_own_cache(
    server, llm_config, tmp_path
):
    server.default_reply = _tagged_answers
    hub = AssistantAgent("hub", llm_config=llm_config)
    users = [
        ConversableAgent(f"user{i}", llm_config=False, human_input_mode="NEVER", default_auto_reply=f"[[c{i}]] go on")
        for i in range(N_CHATS)
    ]
    caches = _caches(N_CHATS, tmp_path)
    before = _state(hub)

    async def run_all() -> list[Any]:
        return await asyncio.gather(
            *(
                user.a_initiate_chat(hub, message=f"[[c{i}]] start", max_turns=3, cache=caches[i], silent=True)
                for i, user in enumerate(users)
            )
        )

    first = await run_all()
    assert _requests_per_tag(server) == Counter({f"c{i}": 3 for i in range(N_CHATS)})
    for i, result in enumerate(first):
        replies = [m["content"] for m in result.chat_history if m["role"] == "user"]
        assert replies == [f"[[c{i}]] reply after {n} messages" for n in (2, 4, 6)]
    assert _state(hub) == before

    server.reset()
    server.default_reply = _tagged_answers
    second = await run_all()
    # a chat with a cache found every answer in it; a chat without one asked the server again
    assert _requests_per_tag(server) == Counter({f"c{i}": 3 for i in range(0, N_CHATS, 5)})
    assert [r.chat_history for r in second] == [r.chat_history for r in first]
    for cache in caches:
        if cache is not None:
            cache.close()
    assert _state(hub) == before


@pytest.mark.slow
async def test_twenty_concurrent_group_chats_sharing_members_each_use_their_own_cache(server, llm_config, tmp_path):
    server.default_reply = _tagged_answers
    alice = AssistantAgent("alice", llm_config=llm_config)
    bob = AssistantAgent("bob", llm_config=llm_config)
    caches = _caches(N_GROUPS, tmp_path)
    before = (_state(alice), _state(bob))

    def group(g: int) -> tuple[ConversableAgent, GroupChatManager]:
        chat = GroupChat([alice, bob], messages=[], max_round=5, speaker_selection_method="round_robin")
        user = ConversableAgent(f"user{g}", llm_config=False, human_input_mode="NEVER")
        return user, GroupChatManager(chat, name=f"manager{g}", llm_config=False)

    groups = [group(g) for g in range(N_GROUPS)]

    async def run_all() -> list[Any]:
        return await asyncio.gather(
            *(
                user.a_initiate_chat(manager, message=f"[[g{g}]] start", cache=caches[g], silent=True)
                for g, (user, manager) in enumerate(groups)
            )
        )

    await run_all()
    # alice and bob speak twice each per group
    assert _requests_per_tag(server) == Counter({f"g{g}": 4 for g in range(N_GROUPS)})
    transcripts = [[m["content"] for m in manager.groupchat.messages] for _, manager in groups]
    for g, transcript in enumerate(transcripts):
        assert all(f"[[g{g}]]" in text for text in transcript)
    assert (_state(alice), _state(bob)) == before

    server.reset()
    server.default_reply = _tagged_answers
    await run_all()
    assert _requests_per_tag(server) == Counter({f"g{g}": 4 for g in range(0, N_GROUPS, 5)})
    assert [[m["content"] for m in manager.groupchat.messages] for _, manager in groups] == transcripts
    assert (_state(alice), _state(bob)) == before


async def test_a_chat_s_cache_is_not_seen_by_another_chat_running_at_the_same_time(server, llm_config):
    """The reproduction from the issue: one chat awaits inside a reply while another starts without a cache."""
    seen: dict[str, Any] = {}
    release = asyncio.Event()

    async def slow_reply(recipient, messages, sender, config):
        run = current_run()
        seen[sender.name] = run.cache_for(recipient) if run is not None else "no run"
        if sender.name == "first":
            await release.wait()
        else:
            release.set()
        return True, "done"

    hub = ConversableAgent("hub", llm_config=False, human_input_mode="NEVER")
    hub.register_reply([ConversableAgent], slow_reply)
    c1 = Cache.in_memory()
    first = ConversableAgent("first", llm_config=False, human_input_mode="NEVER")
    second = ConversableAgent("second", llm_config=False, human_input_mode="NEVER")
    await asyncio.gather(
        first.a_initiate_chat(hub, message="a", max_turns=1, cache=c1, silent=True),
        second.a_initiate_chat(hub, message="b", max_turns=1, cache=None, silent=True),
    )
    assert seen == {"first": c1, "second": None}
    assert hub.client_cache is None


async def test_the_run_counts_the_usage_of_its_own_chat_only(server, llm_config):
    server.default_reply = _tagged_answers
    hub = AssistantAgent("hub", llm_config=llm_config)
    runs: dict[str, ChatRun] = {}

    def remember_run(recipient, messages, sender, config):
        runs[sender.name] = current_run()
        return False, None

    hub.register_reply([ConversableAgent], remember_run)
    users = [ConversableAgent(f"u{i}", llm_config=False, human_input_mode="NEVER") for i in range(2)]
    await asyncio.gather(
        users[0].a_initiate_chat(hub, message="[[a]] x", max_turns=1, silent=True),
        users[1].a_initiate_chat(hub, message="[[b]] y", max_turns=1, silent=True),
    )
    assert runs["u0"] is not runs["u1"]
    assert runs["u0"].usage.llm_calls == 1 and runs["u1"].usage.llm_calls == 1
    assert runs["u0"].usage.prompt_tokens > 0
    assert hub.client.total_usage_summary is not None  # the agent's own usage still adds up, as in 0.2


def test_a_nested_chat_runs_in_a_child_of_the_outer_run():
    runs: list[Optional[ChatRun]] = []

    def record(recipient, messages, sender, config):
        runs.append(current_run())
        return True, "inner answer"

    inner = ConversableAgent("inner", llm_config=False, human_input_mode="NEVER")
    inner.register_reply([ConversableAgent], record)
    outer = ConversableAgent("outer", llm_config=False, human_input_mode="NEVER")
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    outer.register_nested_chats([{"recipient": inner, "max_turns": 1, "summary_method": "last_msg"}], trigger=user)

    def top(recipient, messages, sender, config):
        runs.append(current_run())
        return False, None

    outer.register_reply([ConversableAgent], top)
    result = user.initiate_chat(outer, message="hi", max_turns=1, silent=True)
    assert result.summary == "inner answer"
    outer_run, inner_run = runs
    assert outer_run is not None and inner_run is not None
    assert inner_run.parent is outer_run and inner_run.sync and outer_run.sync
