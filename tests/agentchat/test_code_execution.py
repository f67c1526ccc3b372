"""Code execution replies: the executor path, the legacy path, message scanning, configuration errors."""

from __future__ import annotations

import pytest

from autogen import ConversableAgent, UserProxyAgent
from autogen.coding import LocalCommandLineCodeExecutor

PY_BLOCK = "Run this:\n```python\nprint('hello from code')\n```"


def runner(config) -> ConversableAgent:
    return ConversableAgent("runner", llm_config=False, human_input_mode="NEVER", code_execution_config=config)


def reply_to(agent: ConversableAgent, *contents: str):
    sender = ConversableAgent("writer", llm_config=False)
    return agent.generate_reply([{"content": c, "role": "user"} for c in contents], sender=sender)


def test_executor_instance_runs_code_blocks(tmp_path):
    agent = runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    reply = reply_to(agent, PY_BLOCK)
    assert reply.startswith("exitcode: 0 (execution succeeded)\nCode output:")
    assert "hello from code" in reply
    assert agent.code_executor is not None
    assert [f.__name__ for f in agent.reply_functions][3] == "_generate_code_execution_reply_using_executor"


def test_executor_by_name_with_its_options(tmp_path):
    agent = runner({"executor": "commandline-local", "commandline-local": {"work_dir": str(tmp_path)}})
    assert "hello from code" in reply_to(agent, PY_BLOCK)


def test_failing_code_reports_execution_failed(tmp_path):
    agent = runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    reply = reply_to(agent, "```python\nraise SystemExit(3)\n```")
    assert reply.startswith("exitcode: 3 (execution failed)")


def test_executor_with_legacy_keys_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="use_docker"):
        runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path), "use_docker": False})


def test_legacy_path_runs_code_locally(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False})
    reply = reply_to(agent, PY_BLOCK)
    assert reply.startswith("exitcode: 0 (execution succeeded)\nCode output:")
    assert "hello from code" in reply
    assert agent.use_docker is False
    assert agent.code_executor is None


def test_legacy_path_runs_shell_blocks(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False})
    assert "from sh" in reply_to(agent, "```sh\necho from sh\n```")


def test_legacy_path_reports_unknown_languages(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False})
    reply = reply_to(agent, "```cobol\nDISPLAY 'HI'.\n```")
    assert reply.startswith("exitcode: 1 (execution failed)")
    assert "unknown language cobol" in reply


def test_no_code_falls_through_to_the_next_reply(tmp_path):
    agent = ConversableAgent(
        "runner",
        llm_config=False,
        human_input_mode="NEVER",
        default_auto_reply="no code here",
        code_execution_config={"work_dir": str(tmp_path), "use_docker": False},
    )
    assert reply_to(agent, "just words") == "no code here"


def test_auto_scans_only_messages_since_the_agent_last_spoke(tmp_path):
    agent = ConversableAgent(
        "runner",
        llm_config=False,
        human_input_mode="NEVER",
        default_auto_reply="nothing new",
        code_execution_config={"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)},
    )
    messages = [
        {"content": PY_BLOCK, "role": "user"},
        {"content": "I ran it already", "role": "assistant"},
        {"content": "thanks", "role": "user"},
    ]
    assert agent.generate_reply(messages, sender=ConversableAgent("w", llm_config=False)) == "nothing new"


def test_last_n_messages_int_scans_that_many(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False, "last_n_messages": 3})
    messages = [
        {"content": PY_BLOCK, "role": "user"},
        {"content": "I ran it already", "role": "assistant"},
        {"content": "thanks", "role": "user"},
    ]
    assert "hello from code" in agent.generate_reply(messages, sender=ConversableAgent("w", llm_config=False))


def test_invalid_last_n_messages_is_a_value_error(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False, "last_n_messages": -2})
    with pytest.raises(ValueError, match="last_n_messages"):
        reply_to(agent, PY_BLOCK)


def test_caller_config_is_not_changed(tmp_path):
    config = {"work_dir": str(tmp_path)}
    UserProxyAgent("u", code_execution_config=config)
    assert config == {"work_dir": str(tmp_path)}


def test_code_execution_config_none_is_deprecated(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGEN_USE_DOCKER", "False")
    with pytest.warns(DeprecationWarning, match="code_execution_config"):
        agent = runner(None)
    assert agent.use_docker is False


def test_code_execution_config_of_another_type_is_a_type_error():
    with pytest.raises(TypeError, match="code_execution_config"):
        runner("local")


def test_docker_requested_but_unavailable_is_a_clear_error(monkeypatch):
    import autogen.code_utils as code_utils

    monkeypatch.setattr(code_utils, "in_docker_container", lambda: False)
    monkeypatch.setattr(code_utils, "is_docker_running", lambda: False)
    monkeypatch.setenv("AUTOGEN_SANDBOX_FALLBACK", "0")  # nor the sandbox: refused
    with pytest.raises(RuntimeError, match="Docker"):
        UserProxyAgent("u")


def test_use_docker_defaults_to_true_as_in_0_2(monkeypatch):
    monkeypatch.delenv("AUTOGEN_USE_DOCKER", raising=False)
    import autogen.code_utils as code_utils

    monkeypatch.setattr(code_utils, "check_can_use_docker_or_throw", lambda use_docker: None)
    assert UserProxyAgent("u").use_docker is True


async def test_code_execution_in_async_chat(tmp_path):
    agent = runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    writer = ConversableAgent("writer", llm_config=False, human_input_mode="NEVER", default_auto_reply="TERMINATE")
    result = await writer.a_initiate_chat(agent, message=PY_BLOCK, max_turns=1, silent=True)
    assert "hello from code" in result.chat_history[-1]["content"]


def test_execution_is_printed(tmp_path, human):
    agent = runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    reply_to(agent, PY_BLOCK)
    assert ">>>>>>>> EXECUTING 1 CODE BLOCKS (inferred languages are [python])..." in human.text


@pytest.mark.docker
@pytest.mark.slow
def test_legacy_path_runs_code_in_docker(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": "autogen-python:bookworm", "timeout": 60})
    reply = reply_to(agent, "```python\nimport os\nprint('in container', os.path.exists('/.dockerenv'))\n```")
    assert reply.startswith("exitcode: 0"), reply
    assert "in container" in reply


def test_the_legacy_path_keeps_the_whole_file_name_of_a_one_line_block(tmp_path):
    agent = runner({"work_dir": str(tmp_path), "use_docker": False})
    reply = reply_to(agent, "```python\n# filename: foo.py\n```")
    assert reply.startswith("exitcode: 0"), reply
    assert (tmp_path / "foo.py").exists() and not (tmp_path / "foo.p").exists()


def test_a_configured_key_never_reaches_llm_code_even_under_an_innocent_name(tmp_path, monkeypatch, llm_config):
    from autogen import OpenAIWrapper

    key = llm_config["config_list"][0]["api_key"]
    OpenAIWrapper(**llm_config)  # configuring an endpoint makes its key known
    monkeypatch.setenv("MY_SETTING", key)
    agent = runner({"executor": LocalCommandLineCodeExecutor(work_dir=tmp_path)})
    reply = reply_to(agent, "```python\nimport os\nprint(repr(os.environ.get('MY_SETTING')))\n```")
    assert reply.startswith("exitcode: 0") and "None" in reply and key not in reply
