# ruff: noqa: E501  (prompt text keeps one line per instruction)
"""The prompts AgentBuilder sends its builder model, and the texts it gives the agents it builds.

Our own wording of AutoGen 0.2.35's AutoBuild prompts; each keeps every instruction 0.2 gave the model.
"""

from __future__ import annotations

__all__ = [
    "AGENT_DESCRIPTION_PROMPT",
    "AGENT_NAME_PROMPT",
    "AGENT_SEARCHING_PROMPT",
    "AGENT_SELECTION_PROMPT",
    "AGENT_SYS_MSG_PROMPT",
    "CODING_AND_TASK_SKILL_INSTRUCTION",
    "CODING_PROMPT",
    "COMPUTER_TERMINAL_DESCRIPTION",
    "DEFAULT_DESCRIPTION",
    "DEFAULT_PROXY_AUTO_REPLY",
    "GROUP_CHAT_DESCRIPTION",
    "RETRY_PROMPT",
]

DEFAULT_PROXY_AUTO_REPLY = (
    "The last message has no code for me to execute. Group chat manager: let the other participants carry on "
    'the conversation. To end the conversation, have another participant reply to me with only "TERMINATE".'
)

COMPUTER_TERMINAL_DESCRIPTION = (
    "A computer terminal that does nothing but run Python scripts (given to it in ```python code blocks) and "
    "shell scripts (given to it in ```sh code blocks)."
)

GROUP_CHAT_DESCRIPTION = """# Group chat instructions
You work in a group chat with other experts and a group chat manager.
Read the earlier messages of the other members and your own, keep to their topic, and reply to them.

**Your role is**: {name}
Group chat members: {members}{user_proxy_desc}

Once the task is complete, the result has been carefully verified and the other members agree, you may end the conversation by replying with only "TERMINATE".

# Your profile
{sys_msg}
"""

USER_PROXY_IN_GROUP = "\nThe group also includes a Computer_terminal that runs your python and shell code."

DEFAULT_DESCRIPTION = """## Your role
[Fill in the expert's name and a description of their skills]

## Task and skill instructions
- [Fill in a description of the task]
- [Fill in a description of the skills]
- [(Optional) Fill in any other useful information]
"""

CODING_AND_TASK_SKILL_INSTRUCTION = """## Useful instructions for solving the task
- Solve the task step by step if you need to.
- When you find an answer, verify it carefully. Include verifiable evidence, with a test case if possible, in your reply.
- Base every reply on the facts you were given.

## How to verify?
**Keep assuming everyone else's answer is wrong until they give clear enough evidence.**
- Verify with step-by-step backward reasoning.
- Write test cases for the general task.

## How to use code?
- Suggest python code (in a python code block) or a shell script (in a sh code block) for the Computer_terminal to execute.
- If a python package is missing, install it by suggesting a `pip install` command in a ```sh ... ``` block.
- Always state the script type in the code block.
- Do not suggest a code block that the user would have to modify.
- Do not suggest a code block that is not meant to be executed by the Computer_terminal.
- The Computer_terminal cannot modify your code.
- **Use the 'print' function for output when relevant.**
- Check the execution result the Computer_terminal returns.
- Do not ask the Computer_terminal to copy the result.
- If the result shows an error, fix the error and send the code again.
- If the error cannot be fixed, or the task is still not solved after the code ran successfully, analyze the problem, revisit your assumptions, collect the extra information you need, and think of a different approach.
"""

CODING_PROMPT = """Does the following task need programming to be solved (i.e. accessing an external API or tool through code), or would code make it easier?

TASK: {task}

Answer with only YES or NO.
"""

AGENT_NAME_PROMPT = """# Your task
Suggest at most {max_agents} experts, by name, for the user requirement below.

## User requirement
{task}

# Answer format
- Name each expert in the form [skill]_Expert.
- Reply with only the experts' names, separated by ",".
For example: Python_Expert, Math_Expert, ...
"""

AGENT_SYS_MSG_PROMPT = """# Your goal
- Write a high-quality description of the expert below by filling in the template, for the task and the expert's name.
- Make the description clear and unambiguous, and include all the information the expert needs.

# Task
{task}

# Expert name
{position}

# Template
{default_sys_msg}
"""

AGENT_DESCRIPTION_PROMPT = """# Your goal
Summarize the description of the expert below in one sentence.

# Expert name
{position}

# Expert's description
{sys_msg}
"""

AGENT_SEARCHING_PROMPT = """# Your goal
Which experts from the list below should take part in the following task?

# TASK
{task}

# EXPERT LIST
{agent_list}

# Requirements
- Consider whether each expert's name and profile fit the task.
- To save effort, select fewer than {max_agents} experts; fewer is better.
- Separate the experts' names with commas and write "_" instead of spaces. For example: Product_manager,Programmer
- Reply with only the list of expert names.
"""

AGENT_SELECTION_PROMPT = """# Your goal
Match each skill in the skill set with an expert from the expert pool.

# Skill set
{skills}

# Expert pool (each written as name: description)
{expert_pool}

# Answer format
```json
{{
    "description of skill_1": "expert_name: expert_description", // when an expert in the pool suits skill_1
    "description of skill_2": "None", // when no expert in the pool suits skill_2
    ...
}}
```
"""

RETRY_PROMPT = """Your answer could not be used: {error}
Answer again, in exactly the format asked for and nothing else."""
