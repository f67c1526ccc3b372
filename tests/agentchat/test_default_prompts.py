"""The default prompts: in our own words, yet giving the model every instruction 0.2.35's prompts gave.

docs/differences.md ("Default prompts") lists each prompt and the 0.2 instructions it keeps.
"""

from __future__ import annotations

import hashlib
import re
import string

import pytest

from autogen import AssistantAgent, ConversableAgent, GroupChat, UserProxyAgent
from autogen.agentchat._summary import DEFAULT_SUMMARY_PROMPT

SYSTEM = AssistantAgent.DEFAULT_SYSTEM_MESSAGE

# 0.2.35 instruction -> a pattern that the default system message must match to give it
ASSISTANT_INSTRUCTIONS = {
    "solve tasks with code and with language skills": r"code you write, and your\s+own reasoning",
    "plan first when none is given, marking code and language steps": r"If nobody gave you a plan.*or only reasoning",
    "collect missing information with code that prints it": r"facts are missing.*write code that prints them",
    "examples: web, files, date/time, operating system": r"web.*file.*date or time.*operating system",
    "solve by language skill once enough is printed": r"Once the printed output is enough.*own reasoning",
    "perform tasks with code that outputs the result": r"carried out by a program, write code that does it and prints",
    "the user only executes the code and cannot modify it": r"will only run the code.*will not edit it",
    "no incomplete code": r"complete code that runs exactly as written",
    "code in fenced blocks tagged python or sh": r"```python.*```sh",
    "fence only code that is meant to be executed": r"Never fence anything that is not meant to be run",
    "one code block per reply": r"no more than one code block in a reply",
    "# filename: <filename> as the first line when the code is to be saved": r"first line.*`# filename: <filename>`",
    "print results instead of asking to copy and paste": r"print every result.*never ask the user to copy",
    "check the execution result": r"Look at the output the user returns",
    "fix errors and resend the full code, not a change": r"error, repair it and send the whole corrected program",
    "when stuck, analyse, revisit assumptions, collect info, try another approach": (
        r"study the\s+problem again, question your assumptions, gather what you are missing, and try another way"
    ),
    "verify the answer, with verifiable evidence": r"Check every answer.*evidence the user can verify",
    'reply "TERMINATE" when everything is done': r"task is complete, send a final reply that says only TERMINATE",
}


@pytest.mark.parametrize("pattern", ASSISTANT_INSTRUCTIONS.values(), ids=ASSISTANT_INSTRUCTIONS.keys())
def test_assistant_system_message_gives_each_instruction(pattern: str) -> None:
    assert re.search(pattern, SYSTEM, re.DOTALL), pattern


def test_user_proxy_descriptions_say_what_each_mode_can_do() -> None:
    descriptions = UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS
    assert "HUMAN" in descriptions["ALWAYS"] and "answers questions" in descriptions["ALWAYS"]
    for mode in ("ALWAYS", "TERMINATE"):
        assert re.search(r"Python code or Linux shell commands.*(tell|report)", descriptions[mode]), mode
    assert re.search(r"nothing else.*```python.*```sh", descriptions["NEVER"])


def test_assistant_description_names_its_skills() -> None:
    assert re.search(r"language.*Python.*Linux shell", AssistantAgent.DEFAULT_DESCRIPTION)


def test_summary_prompt_asks_for_a_summary_without_preamble() -> None:
    assert ConversableAgent.DEFAULT_SUMMARY_PROMPT == DEFAULT_SUMMARY_PROMPT
    assert re.search(r"Sum up what the conversation above arrived at.*no preamble", DEFAULT_SUMMARY_PROMPT)


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize(
    ("template", "placeholders"),
    [
        (GroupChat.select_speaker_message_template, {"roles", "agentlist"}),
        (GroupChat.select_speaker_prompt_template, {"agentlist"}),
        (GroupChat.select_speaker_auto_multiple_template, {"agentlist"}),
        (GroupChat.select_speaker_auto_none_template, {"agentlist"}),
    ],
    ids=["message", "prompt", "auto_multiple", "auto_none"],
)
def test_speaker_selection_templates_keep_the_0_2_placeholders(template: str, placeholders: set[str]) -> None:
    assert _placeholders(template) == placeholders


def test_speaker_selection_asks_for_one_name_only() -> None:
    assert re.search(
        r"\{roles\}.*Read the conversation.*\{agentlist\}.*name only",
        GroupChat.select_speaker_message_template,
        re.DOTALL,
    )
    assert re.search(r"\{agentlist\}.*name only", GroupChat.select_speaker_prompt_template or "")


@pytest.mark.parametrize(
    "template",
    [GroupChat.select_speaker_auto_multiple_template, GroupChat.select_speaker_auto_none_template],
    ids=["auto_multiple", "auto_none"],
)
def test_speaker_retry_templates_give_the_0_2_rules(template: str) -> None:
    assert re.search(r"exactly one name", template)
    assert re.search(r"1\. if .* speaks as one participant \(for example 'As the \.\.\.'\)", template)
    assert re.search(r"2\. if .* says who comes next", template)
    assert re.search(r"3\. otherwise choose the first participant", template)
    assert re.search(r"exactly.*same spelling and capitals,\s+not shortened.*no explanation", template, re.DOTALL)


def test_introduction_says_why_the_group_meets_and_leads_into_the_roles() -> None:
    assert re.search(r"answer questions and complete tasks", GroupChat.DEFAULT_INTRO_MSG)
    assert GroupChat.DEFAULT_INTRO_MSG.endswith(":")


# -- own words ------------------------------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    """The sentences of ``text`` of four words or more, lower case, words only."""
    found = []
    for piece in re.split(r"[.!?;:\n]+", text):
        words = re.findall(r"[a-z0-9]+", piece.lower())
        if len(words) >= 4:
            found.append(" ".join(words))
    return found


def _fingerprint(sentence: str) -> str:
    return hashlib.sha256(sentence.encode()).hexdigest()[:16]


# Fingerprints of the sentences of 0.2.35's default prompts (the texts themselves are not kept here).
# "You are a helpful AI Assistant." is deliberately kept as ConversableAgent's signature default
# (and MultimodalConversableAgent's): it is part of the API contract, so it is not checked here.
_FINGERPRINTS_OF_0_2 = """
    030d2318247f6619 07a250c003a225f6 131f7d8d4e8b171e 24c27d4bf85d4249 2521566e717ab1c2 2740f3a272d6c614
    27e6173a3492d4a9 298d14e9dde54bd3 2a742f2efd92ce9b 2d9c12aa5b2097fd 34bffe40575d8ff6 3b58859ab3bcc11b
    3bbf6528735f2953 3c6f7c2e72203ad8 438e5db0d4e0ddf6 4e278ad868a7c900 52288928cf14a4ac 588aaba015cd9f3b
    6ad16ce4e26b32af 6c721a2b4588a77c 6e0c5bdd2d7819b4 6e9a53ce174cb60f 7541f7be12235d51 7685872ea012b891
    7811ff0d3250d89a 78d5d0191ff9207c 7e4055b7e4b8aba7 83af159c70a7d35a 91a7ea654da01140 962813bf9324a0d1
    99c5cbf310536806 a389b7b9b99eaffc a545f64ef35d10c4 a7a5a11681a5caa1 bb1e90237b1891fc bba3d265af2328b0
    bbfba3e66d6becb5 bdd29cc748c613bd c25572674567d6fe c3a6fea457496ea6 c83f1e07eaa95028 ccdac13642a31afe
    d44c34d6006edec2 d7548aba954788e2 de74415e5594ffdf e8566b989bc4e388 efc05a934fbbb70a f0b1e30bb3e8da68
    f53a86b0a6fd6010 fab74cdbf4fef55a fce54344b3ad6937
    """
SENTENCES_OF_0_2 = frozenset(_FINGERPRINTS_OF_0_2.split())

OUR_PROMPTS = {
    "AssistantAgent.DEFAULT_SYSTEM_MESSAGE": SYSTEM,
    "AssistantAgent.DEFAULT_DESCRIPTION": AssistantAgent.DEFAULT_DESCRIPTION,
    **{
        f"UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS[{mode}]": text
        for mode, text in UserProxyAgent.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS.items()
    },
    "DEFAULT_SUMMARY_PROMPT": DEFAULT_SUMMARY_PROMPT,
    "GroupChat.DEFAULT_INTRO_MSG": GroupChat.DEFAULT_INTRO_MSG,
    "select_speaker_message_template": GroupChat.select_speaker_message_template,
    "select_speaker_prompt_template": GroupChat.select_speaker_prompt_template or "",
    "select_speaker_auto_multiple_template": GroupChat.select_speaker_auto_multiple_template,
    "select_speaker_auto_none_template": GroupChat.select_speaker_auto_none_template,
}


@pytest.mark.parametrize("name", OUR_PROMPTS)
def test_no_sentence_is_taken_from_0_2(name: str) -> None:
    copied = [s for s in _sentences(OUR_PROMPTS[name]) if _fingerprint(s) in SENTENCES_OF_0_2]
    assert copied == []
