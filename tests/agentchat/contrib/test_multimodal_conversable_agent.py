"""MultimodalConversableAgent: <img> tags in received text become image parts sent to the model."""

from __future__ import annotations

import asyncio
import base64
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from autogen import ConversableAgent
from autogen.agentchat.contrib.multimodal_conversable_agent import (
    DEFAULT_LMM_SYS_MSG,
    DEFAULT_MODEL,
    MultimodalConversableAgent,
)

IMAGE_URL = "http://127.0.0.1:9/cat.png"  # never fetched: URLs are passed to the model as they are


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    path = tmp_path / "red.png"
    Image.new("RGB", (4, 3), (255, 0, 0)).save(path)
    return path


def user() -> ConversableAgent:
    return ConversableAgent("user", llm_config=False, human_input_mode="NEVER")


def lmm(llm_config: dict, **kwargs) -> MultimodalConversableAgent:
    return MultimodalConversableAgent("vision", llm_config=llm_config, human_input_mode="NEVER", **kwargs)


def decoded_image(data_uri: str) -> Image.Image:
    assert data_uri.startswith("data:image/png;base64,")
    return Image.open(BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))


# ---- system message -------------------------------------------------------------------------------------


def test_system_message_is_kept_as_content_parts(llm_config):
    agent = lmm(llm_config)
    assert agent.system_message == [{"type": "text", "text": DEFAULT_LMM_SYS_MSG}]


def test_update_system_message_splits_text_at_img_tags(llm_config, red_png):
    agent = lmm(llm_config)
    agent.update_system_message(f"Compare with <img {red_png}>.")
    parts = agent.system_message
    assert [p["type"] for p in parts] == ["text", "image_url", "text"]
    assert decoded_image(parts[1]["image_url"]["url"]).size == (4, 3)


def test_update_system_message_takes_a_list_of_parts_as_is(llm_config):
    agent = lmm(llm_config)
    parts = [{"type": "text", "text": "Be brief."}]
    agent.update_system_message(parts)
    assert agent.system_message == parts


def test_without_llm_config_the_default_vision_model_is_used(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    agent = MultimodalConversableAgent("vision")
    assert agent.llm_config == {"model": DEFAULT_MODEL}


# ---- received messages ----------------------------------------------------------------------------------


def test_received_text_with_a_local_image_is_stored_with_a_data_uri(llm_config, red_png):
    agent, sender = lmm(llm_config), user()
    sender.send(f"What colour is <img {red_png}>?", agent, request_reply=False, silent=True)
    content = agent.last_message(sender)["content"]
    assert content[0] == {"type": "text", "text": "What colour is "}
    assert decoded_image(content[1]["image_url"]["url"]).getpixel((0, 0)) == (255, 0, 0)
    assert content[2] == {"type": "text", "text": "?"}


def test_received_image_urls_are_kept_as_urls(llm_config):
    agent, sender = lmm(llm_config), user()
    sender.send(f"<img {IMAGE_URL}>", agent, request_reply=False, silent=True)
    assert agent.last_message(sender)["content"][1] == {"type": "image_url", "image_url": {"url": IMAGE_URL}}


def test_the_sender_keeps_its_own_text_message(llm_config, red_png):
    agent, sender = lmm(llm_config), user()
    text = f"look <img {red_png}>"
    sender.send(text, agent, request_reply=False, silent=True)
    assert sender.last_message(agent)["content"] == text


def test_an_image_that_cannot_be_loaded_stays_as_text_with_a_warning(llm_config):
    agent, sender = lmm(llm_config), user()
    with pytest.warns(UserWarning, match=r"missing\.png"):
        sender.send("see <img missing.png>", agent, request_reply=False, silent=True)
    assert agent.last_message(sender)["content"] == [{"type": "text", "text": "see <img missing.png>"}]


def test_pil_images_in_received_content_parts_become_data_uris(llm_config):
    agent, sender = lmm(llm_config), user()
    image = Image.new("RGB", (2, 5), (0, 0, 255))
    message = {"content": [{"type": "image_url", "image_url": {"url": image}}]}
    sender.send(message, agent, request_reply=False, silent=True)
    assert decoded_image(agent.last_message(sender)["content"][0]["image_url"]["url"]).size == (2, 5)


def test_tool_responses_are_not_split_into_parts(llm_config):
    agent, sender = lmm(llm_config), user()
    response = {"role": "tool", "content": "<img x.png>", "tool_responses": [{"tool_call_id": "1", "role": "tool"}]}
    sender.send(response, agent, request_reply=False, silent=True)
    assert agent.last_message(sender)["content"] == "<img x.png>"


def test_content_of_an_unknown_part_type_is_refused(llm_config):
    agent, sender = lmm(llm_config), user()
    with pytest.raises(ValueError, match="unknown type"):
        sender.send({"content": [{"type": "audio", "audio": "..."}]}, agent, request_reply=False, silent=True)


# ---- replies --------------------------------------------------------------------------------------------


def test_the_model_receives_the_system_parts_and_the_image(server, llm_config, red_png):
    agent, sender = lmm(llm_config), user()
    server.script("It is red.")
    result = sender.initiate_chat(agent, message=f"Colour of <img {red_png}>?", max_turns=1, silent=True)
    assert result.summary == "It is red."
    system, question = server.chat_requests[0]["messages"]
    assert system == {"role": "system", "content": [{"type": "text", "text": DEFAULT_LMM_SYS_MSG}]}
    assert [p["type"] for p in question["content"]] == ["text", "image_url", "text"]
    assert decoded_image(question["content"][1]["image_url"]["url"]).size == (4, 3)


async def test_async_chat_sends_images_too(server, llm_config):
    agent, sender = lmm(llm_config), user()
    server.script("A cat.")
    result = await sender.a_initiate_chat(agent, message=f"What is <img {IMAGE_URL}>?", max_turns=1, silent=True)
    assert result.summary == "A cat."
    assert server.chat_requests[0]["messages"][1]["content"][1]["image_url"]["url"] == IMAGE_URL


def test_default_termination_reads_the_text_of_parts(server, llm_config):
    agent = lmm(llm_config)
    asker = ConversableAgent("asker", llm_config=llm_config, human_input_mode="NEVER")
    server.script("Describe it.", "TERMINATE")
    asker.initiate_chat(agent, message="hello", max_turns=None, silent=True)
    assert agent.last_message(asker)["content"] == [{"type": "text", "text": "TERMINATE"}]
    assert len(server.chat_requests) == 2  # the agent did not answer the TERMINATE it received as parts


def test_sync_and_async_chats_store_the_same_history(server, llm_config, red_png):
    histories = []
    for run in ("sync", "async"):
        agent, sender = lmm(llm_config), user()
        server.script("ok")
        message = f"<img {red_png}> size?"
        if run == "sync":
            sender.initiate_chat(agent, message=message, max_turns=1, silent=True)
        else:
            asyncio.run(sender.a_initiate_chat(agent, message=message, max_turns=1, silent=True))
        histories.append(agent.chat_messages[sender])
    assert histories[0] == histories[1]
