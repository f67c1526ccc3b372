# One question to an assistant; the run passes when the answer holds the expected word.
import testbed_utils

import autogen

testbed_utils.init()
config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config=testbed_utils.default_llm_config(config_list))
user = autogen.UserProxyAgent(
    "user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0
)
result = user.initiate_chat(assistant, message="""__PROMPT__""", silent=True)
if "__ANSWER__" in (result.summary or ""):
    print("ALL TESTS PASSED !#!#")
testbed_utils.finalize(agents=[assistant, user])
