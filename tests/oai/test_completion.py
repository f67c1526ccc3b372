"""Legacy Completion/ChatCompletion: importable, and every call points to OpenAIWrapper."""

from __future__ import annotations

import pytest

import autogen
from autogen.oai.completion import ChatCompletion, Completion


@pytest.mark.parametrize("cls", [Completion, ChatCompletion])
def test_legacy_create_raises_deprecation_error(cls):
    with pytest.raises(RuntimeError, match=r"\(Deprecated\).*openai<1.*OpenAIWrapper"):
        cls.create(prompt="hi")


def test_legacy_classes_are_top_level_names():
    assert autogen.Completion is Completion
    assert autogen.ChatCompletion is ChatCompletion
