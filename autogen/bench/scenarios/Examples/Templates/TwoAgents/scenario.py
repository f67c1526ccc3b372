# Two agents: an assistant that writes code and a user proxy that runs it, on the task in __PROMPT__.
import testbed_utils

import autogen

testbed_utils.init()

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")


def is_done(message):
    return "TERMINATE" in (message.get("content") or "")


assistant = autogen.AssistantAgent(
    "assistant",
    is_termination_msg=is_done,
    llm_config=testbed_utils.default_llm_config(config_list, timeout=180),
)
user_proxy = autogen.UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    is_termination_msg=is_done,
    code_execution_config={"work_dir": "coding", "use_docker": False},
    max_consecutive_auto_reply=10,
    default_auto_reply="TERMINATE",
)

user_proxy.initiate_chat(
    assistant,
    message="""
__PROMPT__
""".strip(),
)

testbed_utils.finalize(agents=[assistant, user_proxy])
