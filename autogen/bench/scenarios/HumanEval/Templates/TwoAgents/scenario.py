# HumanEval with two agents: the assistant writes the function, the user proxy runs it against
# the task's unit tests (coding/my_tests.py) and reports back until they pass or turns run out.
import testbed_utils

import autogen

testbed_utils.init()

with open("prompt.txt") as fh:
    PROMPT = fh.read()

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

task = f"""The Python code below imports `run_tests(candidate)` from my_tests.py and calls it on the
function `__ENTRY_POINT__`, which runs automated unit tests of `__ENTRY_POINT__`. The function is only
partly written. Finish `__ENTRY_POINT__` and reply with one new, self-contained code block that holds
everything needed to run the tests: the import of `run_tests` from `my_tests`, the complete definition of
`__ENTRY_POINT__`, and the call `run_tests(__ENTRY_POINT__)`, so that the block runs as it is in Python.

```python
from my_tests import run_tests

{PROMPT}

# Run the unit tests
run_tests(__ENTRY_POINT__)
```
"""

user_proxy.initiate_chat(assistant, message=task)

testbed_utils.finalize(agents=[assistant, user_proxy])
