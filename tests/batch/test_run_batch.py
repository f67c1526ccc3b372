"""``run_batch`` on the local backend and on a real local Ray instance (2 CPUs, shared by the package)."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import threading
import time
from collections import Counter

import psutil
import pytest

import autogen
from autogen.batch import BatchError, BatchProgress, get_backend, iter_batch, run_batch
from autogen.testing import OpenAITestServer

from . import _teams

TASKS = ["What is 1+1?", {"message": "Name a colour.", "max_turns": 1}, "Say hi.", "Count to three.", "Bye."]


def answer(body: dict) -> str:
    question = body["messages"][-1]["content"]
    return f"Answer to <{question}> from {body['model']}."


@pytest.fixture
def answering_server(server: OpenAITestServer) -> OpenAITestServer:
    server.default_reply = answer
    return server


def expected_answer(task) -> str:
    message = task if isinstance(task, str) else task["message"]
    return f"Answer to <{message}> from gpt-4o-mini."


@pytest.mark.slow
def test_local_and_ray_return_the_same_chat_results_in_task_order(answering_server, ray_backend):
    factory = functools.partial(_teams.two_agents, answering_server.config_list())
    events: list[BatchProgress] = []
    local = autogen.run_batch(factory, TASKS, backend="local", max_concurrency=3, on_progress=events.append)
    on_ray = run_batch(factory, TASKS, backend=ray_backend, max_concurrency=2)

    assert [r.summary for r in local] == [expected_answer(t) for t in TASKS]
    for a, b in zip(local, on_ray):
        assert a.chat_history == b.chat_history
        assert a.summary == b.summary
        assert a.cost == b.cost
        assert a.stop_reason == b.stop_reason
    first = local[0]
    assert first.chat_history == [
        {"content": "What is 1+1?", "role": "assistant", "name": "user"},
        {"content": expected_answer("What is 1+1?"), "role": "user", "name": "assistant"},
    ]
    model_cost = first.cost["usage_excluding_cached_inference"]
    assert model_cost["total_cost"] > 0
    assert model_cost[next(k for k in model_cost if k != "total_cost")]["prompt_tokens"] > 0
    # one model call per task per backend, every request with its own task's message
    asked = Counter(body["messages"][-1]["content"] for body in answering_server.chat_requests)
    assert asked == Counter({expected_answer(t)[len("Answer to <") : -len("> from gpt-4o-mini.")]: 2 for t in TASKS})
    # progress: one event per task, counting up, with the money spent so far
    assert sorted(e.index for e in events) == list(range(len(TASKS)))
    assert [e.done for e in events] == list(range(1, len(TASKS) + 1))
    assert events[-1].failed == 0 and events[-1].total == len(TASKS)
    assert events[-1].cost_usd == pytest.approx(sum(autogen.batch.chat_cost(r) for r in local))
    # results pickle, and carry no key
    blob = pickle.dumps(on_ray)
    assert answering_server.api_key.encode() not in blob
    assert pickle.loads(blob)[2].summary == expected_answer("Say hi.")


@pytest.mark.slow
def test_a_killed_ray_worker_is_retried_and_its_task_recorded_once(answering_server, ray_backend, tmp_path):
    pid_file = tmp_path / "victim.pid"
    factory = functools.partial(_teams.victim_once, str(pid_file), answering_server.config_list())
    tasks = ["one", "two", "three"]
    events = iter_batch(factory, tasks, backend=ray_backend, max_concurrency=3, retries=2)
    killed: list[int] = []

    def kill_when_blocked() -> None:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "no task started"
            time.sleep(0.05)
        pid = int(pid_file.read_text())
        killed.append(pid)
        assert "ray" in " ".join(psutil.Process(pid).cmdline()).lower()
        os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_blocked)
    killer.start()
    seen = list(events)
    killer.join()

    assert killed and killed[0] != os.getpid()
    assert not psutil.pid_exists(killed[0]) or psutil.Process(killed[0]).status() == psutil.STATUS_ZOMBIE
    assert Counter(e.index for e in seen) == Counter({0: 1, 1: 1, 2: 1})
    by_index = {e.index: e.result for e in seen}
    assert [by_index[i].summary for i in range(3)] == [expected_answer(t) for t in tasks]
    # the killed attempt died before asking the model; its retry asked once
    assert sorted(body["messages"][-1]["content"] for body in answering_server.chat_requests) == sorted(tasks)


def test_failed_tasks_raise_batch_error_after_the_batch_or_come_back_in_place(server):
    server.script("first answer", "second answer")  # then HTTP 500: the third task fails
    factory = functools.partial(_teams.two_agents, server.config_list(max_retries=0))
    tasks = ["a", "b", "c"]
    with pytest.raises(BatchError) as caught:
        run_batch(factory, tasks, max_concurrency=1)
    assert list(caught.value.errors) == [2]
    assert "1 of 3 batch tasks failed; task 2" in str(caught.value)
    assert [r.summary for r in caught.value.results[:2]] == ["first answer", "second answer"]
    assert server.api_key not in str(caught.value.errors[2])

    server.script("again")
    results = run_batch(factory, ["x", "y"], max_concurrency=1, return_exceptions=True)
    assert results[0].summary == "again"
    assert isinstance(results[1], Exception)


@pytest.mark.slow  # starts Ray when run alone
def test_bad_inputs_name_the_value_and_the_fix(server, ray_backend):
    factory = functools.partial(_teams.two_agents, server.config_list())
    with pytest.raises(ValueError, match=r"unknown batch backend 'dask'.*local, ray"):
        run_batch(factory, ["hi"], backend="dask")
    with pytest.raises(TypeError, match=r"task 1 is a int; a task is a message string or a dict"):
        run_batch(factory, ["hi", 3])
    with pytest.raises(ValueError, match=r"task 0 has keys \['recipient'\]"):
        run_batch(factory, [{"message": "hi", "recipient": None}])
    with pytest.raises(ValueError, match="max_concurrency must be a positive integer, got 0"):
        run_batch(factory, ["hi"], max_concurrency=0)
    with pytest.raises(ValueError, match=r"Ray address 'localhost:6379' is not understood"):
        run_batch(factory, ["hi"], backend="ray", address="localhost:6379")

    lock = threading.Lock()

    def holds_a_lock():
        with lock:
            return _teams.two_agents(server.config_list())

    with pytest.raises(TypeError, match=r"cannot be pickled.*module-level function"):
        run_batch(holds_a_lock, ["hi"], backend=ray_backend)
    with pytest.raises(BatchError, match=r"team_factory .* returned str; it must return \(sender, recipient\)"):
        run_batch(lambda: "not a team", ["hi"])


def test_missing_ray_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "ray", None)
    with pytest.raises(ImportError, match=r'pip install "autogen\[ray\]"'):
        get_backend("ray")
