# A MATH problem with two agents: the assistant reasons (and may run Python through the user proxy)
# and puts its final answer in \boxed{}; the answer is then compared with the expected one.
import testbed_utils

import autogen
from autogen.math_utils import is_equiv, last_boxed_only_string, remove_boxed

testbed_utils.init()

with open("prompt.txt") as fh:
    PROBLEM = fh.read().strip()
with open("answer.txt") as fh:
    EXPECTED = fh.read().strip()

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")


def is_done(message):
    return (message.get("content") or "").rstrip().endswith("TERMINATE")


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
    max_consecutive_auto_reply=5,
    default_auto_reply="TERMINATE",
)

user_proxy.initiate_chat(
    assistant,
    message=f"""Solve the following math problem. You may write Python code to help you. Put the final
answer in \\boxed{{}}, then reply TERMINATE.

Problem: {PROBLEM}""",
)

answer = None
for message in assistant.chat_messages[user_proxy]:
    if message.get("role") == "assistant":
        boxed = last_boxed_only_string(message.get("content") or "")
        if boxed is not None:
            answer = remove_boxed(boxed)
with open("model_answer.txt", "w") as fh:
    fh.write(f"{answer}\n")
print(f"expected answer: {EXPECTED}; the assistant's answer: {answer}")
if answer is not None and is_equiv(answer, EXPECTED):
    print("ALL TESTS PASSED !#!#")
else:
    print("WRONG ANSWER !#!#")

testbed_utils.finalize(agents=[assistant, user_proxy])
