"""Default prompt texts of a group chat (our own words; 0.2's placeholders)."""

from __future__ import annotations

__all__ = [
    "DEFAULT_INTRO_MSG",
    "SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE",
    "SELECT_SPEAKER_AUTO_NONE_TEMPLATE",
    "SELECT_SPEAKER_MESSAGE_TEMPLATE",
    "SELECT_SPEAKER_PROMPT_TEMPLATE",
]

#: Sent to every member when ``send_introductions`` is on, followed by the list of roles.
DEFAULT_INTRO_MSG = (
    "Welcome, all. This group was formed to answer questions and complete tasks together; "
    "its members and what each of them does are listed below:"
)

#: System message of the speaker-selection request. Placeholders: ``{roles}``, ``{agentlist}``.
SELECT_SPEAKER_MESSAGE_TEMPLATE = (
    "You are directing a conversation between several participants. These are the participants and "
    "what each of them does:\n{roles}.\n"
    "Read the conversation below, then decide which participant from {agentlist} should speak next. "
    "Answer with that participant's name only."
)

#: Final message of the speaker-selection request. Placeholder: ``{agentlist}``.
SELECT_SPEAKER_PROMPT_TEMPLATE = (
    "Based on the conversation above, who should speak next? Pick one participant from {agentlist} "
    "and answer with the name only."
)

#: Follow-up when the answer named several participants. Placeholder: ``{agentlist}``.
SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE = (
    "Your answer named more than one participant. Answer again with exactly one name, chosen like this: "
    "1. if your text speaks as one participant (for example 'As the ...'), choose that participant; "
    "2. if your text says who comes next, choose that participant; "
    "3. otherwise choose the first participant your text named. "
    "Write the name exactly as it appears in {agentlist}, same spelling and capitals, not shortened, "
    "with nothing else and no explanation."
)

#: Follow-up when the answer named no participant. Placeholder: ``{agentlist}``.
SELECT_SPEAKER_AUTO_NONE_TEMPLATE = (
    "Your answer did not name any participant. Answer again with exactly one name, chosen like this: "
    "1. if the conversation speaks as one participant (for example 'As the ...'), choose that participant; "
    "2. if it says who comes next, choose that participant; "
    "3. otherwise choose the first participant the conversation names. "
    "Only these names are accepted: {agentlist}. Write the name exactly, same spelling and capitals, "
    "not shortened, with nothing else and no explanation."
)
