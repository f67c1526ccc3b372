"""Many chats in one event loop: they run concurrently and do not interfere."""

from __future__ import annotations

import asyncio

import pytest

from autogen import AssistantAgent, ConversableAgent
from autogen.agentchat import Agent


@pytest.mark.slow
async def test_fifty_llm_chats_run_concurrently_in_one_loop(server, llm_config):
    in_flight = 0
    peak = 0
    lock = asyncio.Lock()

    def answer(body: dict) -> dict:
        question = body["messages"][-1]["content"]
        return {"content": f"answer to {question} TERMINATE", "delay": 0.2}

    server.default_reply = answer

    async def one_chat(i: int):
        nonlocal in_flight, peak
        assistant = AssistantAgent(f"assistant_{i}", llm_config=llm_config)
        user = ConversableAgent(
            f"user_{i}",
            llm_config=False,
            human_input_mode="NEVER",
            is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
        )
        async with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        result = await user.a_initiate_chat(assistant, message=f"question {i}", silent=True)
        async with lock:
            in_flight -= 1
        return result

    results = await asyncio.gather(*(one_chat(i) for i in range(50)))
    for i, result in enumerate(results):
        assert [m["content"] for m in result.chat_history] == [f"question {i}", f"answer to question {i} TERMINATE"]
        assert result.chat_history[0]["name"] == f"user_{i}"
    assert peak == 50
    assert len(server.chat_requests) == 50


async def test_concurrent_chats_overlap_their_waiting():
    """Each chat's reply waits until all chats have started: only possible if they run concurrently."""
    n = 50
    all_started = asyncio.Event()
    started = 0

    async def wait_for_everyone(recipient, messages, sender, config):
        nonlocal started
        started += 1
        if started == n:
            all_started.set()
        await asyncio.wait_for(all_started.wait(), 10)
        return True, f"{recipient.name} done"

    async def one_chat(i: int):
        worker = ConversableAgent(f"worker_{i}", llm_config=False, human_input_mode="NEVER")
        worker.register_reply(Agent, wait_for_everyone)
        user = ConversableAgent(f"user_{i}", llm_config=False, human_input_mode="NEVER")
        return await user.a_initiate_chat(worker, message="go", max_turns=1, silent=True)

    results = await asyncio.gather(*(one_chat(i) for i in range(n)))
    assert [r.summary for r in results] == [f"worker_{i} done" for i in range(n)]


async def test_one_agent_in_several_concurrent_chats_keeps_histories_apart():
    hub = ConversableAgent("hub", llm_config=False, human_input_mode="NEVER", default_auto_reply="ack")
    users = [ConversableAgent(f"u{i}", llm_config=False, human_input_mode="NEVER") for i in range(10)]
    results = await asyncio.gather(
        *(u.a_initiate_chat(hub, message=f"from {u.name}", max_turns=1, silent=True) for u in users)
    )
    for user, result in zip(users, results):
        assert [m["content"] for m in hub.chat_messages[user]] == [f"from {user.name}", "ack"]
        assert result.chat_history[0]["content"] == f"from {user.name}"
