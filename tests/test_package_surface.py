"""The top-level ``autogen`` namespace: the 0.2 public names, their home modules, and a light import."""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import autogen

# the module the spec (api.md §1) says defines each public name
HOME_MODULES = {
    "autogen.agentchat.agent": ["Agent"],
    "autogen.agentchat.conversable_agent": ["ConversableAgent", "register_function"],
    "autogen.agentchat.assistant_agent": ["AssistantAgent"],
    "autogen.agentchat.user_proxy_agent": ["UserProxyAgent"],
    "autogen.agentchat.groupchat": ["GroupChat", "GroupChatManager"],
    "autogen.agentchat.chat": ["initiate_chats", "ChatResult"],
    "autogen.agentchat.utils": ["gather_usage_summary"],
    "autogen.oai.client": ["OpenAIWrapper", "ModelClient"],
    "autogen.oai.completion": ["Completion", "ChatCompletion"],
    "autogen.cache.cache": ["Cache"],
    "autogen.oai.openai_utils": [
        "config_list_from_json",
        "config_list_from_models",
        "config_list_from_dotenv",
        "filter_config",
        "get_config_list",
        "config_list_openai_aoai",
        "config_list_gpt4_gpt35",
    ],
    "autogen.exception_utils": [
        "AgentNameConflict",
        "NoEligibleSpeaker",
        "SenderRequired",
        "InvalidCarryOverType",
        "UndefinedNextAgent",
    ],
    # beyond 0.2
    "autogen.budget": ["Budget", "BudgetExceeded", "set_budget", "get_budget"],
    "autogen.agentchat.chat_run": ["ChatRun"],
    "autogen.batch.run": ["run_batch"],
}
PUBLIC_NAMES = {name: module for module, names in HOME_MODULES.items() for name in names}
CONSTANTS = {"DEFAULT_MODEL": "gpt-4", "FAST_MODEL": "gpt-3.5-turbo"}

AGENTCHAT_NAMES = [name for name, module in PUBLIC_NAMES.items() if module.startswith("autogen.agentchat.")]
OAI_NAMES = [name for name, module in PUBLIC_NAMES.items() if module.startswith(("autogen.oai.", "autogen.cache."))]
EXCEPTION_NAMES = HOME_MODULES["autogen.exception_utils"]

SUBPACKAGES = ["agentchat", "cache", "coding", "io", "logger", "oai"]
SUBMODULES = [
    *SUBPACKAGES,
    *["code_utils", "exception_utils", "formatting_utils", "function_utils", "graph_utils", "runtime_logging"],
    *["token_count_utils", "types", "version", "_pydantic"],
]

# third-party packages that `import autogen` must leave unloaded (architecture rule: lazy imports)
HEAVY_PACKAGES = ["openai", "httpx", "docker", "numpy", "tiktoken", "rich", "redis", "pandas", "pydantic"]


def test_public_name_table_has_the_29_names_of_the_spec_and_the_6_new_ones():
    assert len(PUBLIC_NAMES) + len(CONSTANTS) == 29 + 6
    assert (len(AGENTCHAT_NAMES), len(OAI_NAMES), len(EXCEPTION_NAMES)) == (10 + 1, 12, 5)


def test_all_lists_exactly_the_public_names_and_version():
    assert sorted(autogen.__all__) == sorted([*PUBLIC_NAMES, *CONSTANTS, "__version__"])


@pytest.mark.parametrize("name", sorted(PUBLIC_NAMES))
def test_public_name_is_the_object_of_its_spec_module(name: str):
    module = importlib.import_module(PUBLIC_NAMES[name])
    assert getattr(autogen, name) is getattr(module, name)


@pytest.mark.parametrize("name", sorted(PUBLIC_NAMES))
def test_public_name_imports_with_from_import(name: str):
    namespace: dict[str, object] = {}
    exec(f"from autogen import {name}", namespace)
    assert namespace[name] is getattr(importlib.import_module(PUBLIC_NAMES[name]), name)


@pytest.mark.parametrize("name", sorted(PUBLIC_NAMES))
def test_public_name_is_listed_by_dir(name: str):
    assert name in dir(autogen)


@pytest.mark.parametrize(("name", "value"), sorted(CONSTANTS.items()))
def test_model_constants_have_the_0_2_values(name: str, value: str):
    assert getattr(autogen, name) == value


def test_version_is_a_nonempty_string_from_the_version_module():
    assert isinstance(autogen.__version__, str)
    assert autogen.__version__
    assert autogen.__version__ == importlib.import_module("autogen.version").__version__


def test_unknown_attribute_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_name"):
        autogen.no_such_name  # noqa: B018


def test_import_sets_the_autogen_logger_to_info():
    assert logging.getLogger("autogen").level == logging.INFO


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodule_is_an_attribute_of_the_package(name: str):
    submodule = getattr(autogen, name)
    assert isinstance(submodule, types.ModuleType)
    assert submodule.__name__ == f"autogen.{name}"


@pytest.mark.parametrize("name", AGENTCHAT_NAMES)
def test_agentchat_exports_its_public_names(name: str):
    agentchat = importlib.import_module("autogen.agentchat")
    assert name in agentchat.__all__
    assert getattr(agentchat, name) is getattr(autogen, name)


@pytest.mark.parametrize("name", OAI_NAMES)
def test_oai_exports_its_public_names(name: str):
    oai = importlib.import_module("autogen.oai")
    assert name in oai.__all__
    assert getattr(oai, name) is getattr(autogen, name)


def test_exception_utils_exports_the_five_exceptions():
    exception_utils = importlib.import_module("autogen.exception_utils")
    assert sorted(exception_utils.__all__) == sorted(EXCEPTION_NAMES)
    assert all(issubclass(getattr(exception_utils, name), Exception) for name in EXCEPTION_NAMES)


def _modules_loaded_by(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the top-level packages it left in ``sys.modules``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    source_root = str(Path(autogen.__file__).resolve().parent.parent)  # the tests chdir into a temporary folder
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source_root, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True, env=env
    )
    return {name.split(".")[0] for name in json.loads(result.stdout.strip().splitlines()[-1])}


@pytest.fixture(scope="module")
def loaded_by_import_autogen() -> set[str]:
    return _modules_loaded_by("import autogen")


@pytest.mark.parametrize("package", HEAVY_PACKAGES)
def test_import_autogen_does_not_import_heavy_package(package: str, loaded_by_import_autogen: set[str]):
    assert package not in loaded_by_import_autogen


def test_import_autogen_loads_no_third_party_package_at_all(loaded_by_import_autogen: set[str]):
    stdlib = set(getattr(sys, "stdlib_module_names", ()))
    if not stdlib:  # Python 3.9 has no sys.stdlib_module_names
        pytest.skip("needs sys.stdlib_module_names (Python 3.10+)")
    third_party = {name for name in loaded_by_import_autogen - stdlib if not name.startswith("_")}
    # `site` may pull in .pth hooks of the environment (editable installs, coverage); those are not ours
    site_hooks = _modules_loaded_by("pass") - stdlib
    assert third_party - site_hooks - {"autogen"} == set()


@pytest.mark.slow
def test_importing_the_agent_classes_loads_no_docker_numpy_pandas_redis_or_rich():
    loaded = _modules_loaded_by("from autogen import AssistantAgent, ConversableAgent, UserProxyAgent, GroupChat")
    assert loaded & {"docker", "numpy", "pandas", "redis", "rich"} == set()
