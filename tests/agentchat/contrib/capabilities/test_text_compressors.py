"""Tests for autogen/agentchat/contrib/capabilities/text_compressors.py."""

from __future__ import annotations

import importlib.util

import pytest

from autogen.agentchat.contrib.capabilities.text_compressors import LLMLingua, TextCompressor
from autogen.agentchat.contrib.capabilities.transforms import TextMessageCompressor


@pytest.mark.skipif(importlib.util.find_spec("llmlingua") is not None, reason="llmlingua is installed")
def test_llmlingua_without_the_extra_names_the_extra_to_install() -> None:
    with pytest.raises(ImportError, match=r"autogen\[long-context\]"):
        LLMLingua()


@pytest.mark.skipif(importlib.util.find_spec("llmlingua") is not None, reason="llmlingua is installed")
def test_default_text_message_compressor_needs_llmlingua() -> None:
    with pytest.raises(ImportError, match="LLMLingua is not installed"):
        TextMessageCompressor(cache=None)


def test_any_object_with_compress_text_is_a_text_compressor() -> None:
    class Upper:
        def compress_text(self, text: str, **params: object) -> dict:
            return {"compressed_prompt": text.upper()}

    assert isinstance(Upper(), TextCompressor)
