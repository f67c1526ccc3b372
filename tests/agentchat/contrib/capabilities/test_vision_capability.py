"""VisionCapability: a text-only agent gets captions, written by a vision model, for the images it receives."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from autogen import ConversableAgent
from autogen.agentchat.contrib.capabilities.vision_capability import DEFAULT_DESCRIPTION_PROMPT, VisionCapability
from autogen.agentchat.contrib.multimodal_conversable_agent import MultimodalConversableAgent

IMAGE_URL = "http://127.0.0.1:9/cat.png"  # never fetched by the capability: the vision model gets the URL


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    path = tmp_path / "red.png"
    Image.new("RGB", (4, 3), (255, 0, 0)).save(path)
    return path


@pytest.fixture
def lmm_config(server) -> dict:
    return {"config_list": server.config_list(model="vision-model"), "cache_seed": None}


def text_agent(llm_config: dict) -> ConversableAgent:
    return ConversableAgent("reader", llm_config=llm_config, human_input_mode="NEVER", system_message="Be helpful.")


def sender() -> ConversableAgent:
    return ConversableAgent("user", llm_config=False, human_input_mode="NEVER")


def requests_for(server, model: str) -> list[dict]:
    return [r for r in server.chat_requests if r["model"] == model]


def test_add_to_agent_tells_the_system_message_about_images(llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    assert agent.system_message.startswith("Be helpful.\n")
    assert "image" in agent.system_message[len("Be helpful.") :]


def test_add_to_agent_extends_a_list_system_message_with_a_text_part(llm_config, lmm_config):
    agent = MultimodalConversableAgent("vision", llm_config=llm_config, system_message="Look closely.")
    VisionCapability(lmm_config).add_to_agent(agent)
    assert agent.system_message[0] == {"type": "text", "text": "Look closely."}
    assert agent.system_message[-1]["type"] == "text" and "image" in agent.system_message[-1]["text"]


def test_the_agent_model_gets_the_caption_instead_of_the_image(server, llm_config, lmm_config, red_png):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("A small red rectangle.", "It is red.")
    result = sender().initiate_chat(agent, message=f"What colour is <img {red_png}>?", max_turns=1, silent=True)
    assert result.summary == "It is red."
    (caption_request,) = requests_for(server, "vision-model")
    prompt, image = caption_request["messages"][0]["content"]
    assert prompt == {"type": "text", "text": DEFAULT_DESCRIPTION_PROMPT}
    assert image["image_url"]["url"].startswith("data:image/png;base64,")
    question = server.chat_requests[-1]["messages"][-1]["content"]
    assert question.startswith(f"What colour is <img {red_png}>")
    assert "A small red rectangle." in question and question.endswith("?")


def test_the_history_keeps_the_caption_and_images_are_captioned_once(server, llm_config, lmm_config, red_png):
    agent, user = text_agent(llm_config), sender()
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("a red box", "reply", "another reply")
    user.initiate_chat(agent, message=f"<img {red_png}>", max_turns=1, silent=True)
    stored = agent.chat_messages[user][0]["content"]
    assert stored.startswith(f"<img {red_png}>") and "a red box" in stored
    agent.generate_reply(messages=[{"role": "user", "content": stored}], sender=user)
    assert len(requests_for(server, "vision-model")) == 1
    assert server.chat_requests[-1]["messages"][-1]["content"] == stored


def test_image_urls_go_to_the_vision_model_unfetched(server, llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("A cat.", "Cute.")
    sender().initiate_chat(agent, message=f"<img {IMAGE_URL}>", max_turns=1, silent=True)
    (caption_request,) = requests_for(server, "vision-model")
    assert caption_request["messages"][0]["content"][1]["image_url"]["url"] == IMAGE_URL


def test_image_parts_are_captioned_too(server, llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("A cat on a mat.", "ok")
    message = {"content": [{"type": "text", "text": "See: "}, {"type": "image_url", "image_url": {"url": IMAGE_URL}}]}
    sender().initiate_chat(agent, message=message, max_turns=1, silent=True)
    question = server.chat_requests[-1]["messages"][-1]["content"]
    assert isinstance(question, str)
    assert question.startswith(f"See: <img {IMAGE_URL}>") and "A cat on a mat." in question


def test_a_custom_description_prompt_is_used(server, llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config, description_prompt="Name the animal.").add_to_agent(agent)
    server.script("cat", "ok")
    sender().initiate_chat(agent, message=f"<img {IMAGE_URL}>", max_turns=1, silent=True)
    assert requests_for(server, "vision-model")[0]["messages"][0]["content"][0]["text"] == "Name the animal."


def test_a_custom_caption_func_replaces_the_vision_model(server, llm_config, red_png):
    calls = []

    def caption(url, image, client):
        calls.append((url, image.size, client))
        return "a handmade caption"

    agent = text_agent(llm_config)
    VisionCapability(lmm_config=None, custom_caption_func=caption).add_to_agent(agent)
    server.script("ok")
    sender().initiate_chat(agent, message=f"<img {red_png}>", max_turns=1, silent=True)
    assert calls == [(str(red_png), (4, 3), None)]
    assert "a handmade caption" in server.chat_requests[0]["messages"][-1]["content"]
    assert len(server.chat_requests) == 1


def test_text_without_images_is_left_alone(server, llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("hello")
    sender().initiate_chat(agent, message="no pictures here", max_turns=1, silent=True)
    assert requests_for(server, "vision-model") == []
    assert server.chat_requests[0]["messages"][-1]["content"] == "no pictures here"


def test_an_unreadable_image_gets_a_note_and_a_warning(server, llm_config, red_png, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    agent = text_agent(llm_config)
    VisionCapability(lmm_config=None, custom_caption_func=lambda url, image, client: "never").add_to_agent(agent)
    server.script("ok")
    with pytest.warns(UserWarning, match=r"broken\.png"):
        sender().initiate_chat(agent, message=f"<img {broken}>", max_turns=1, silent=True)
    assert "could not be loaded" in server.chat_requests[0]["messages"][-1]["content"]


async def test_async_chat_captions_images(server, llm_config, lmm_config):
    agent = text_agent(llm_config)
    VisionCapability(lmm_config).add_to_agent(agent)
    server.script("A dog.", "Woof.")
    result = await sender().a_initiate_chat(agent, message=f"<img {IMAGE_URL}>", max_turns=1, silent=True)
    assert result.summary == "Woof."
    assert "A dog." in server.chat_requests[-1]["messages"][-1]["content"]


def test_neither_lmm_config_nor_caption_func_is_refused():
    with pytest.raises(ValueError, match="lmm_config"):
        VisionCapability(lmm_config=False)


def test_a_caption_func_that_is_not_callable_is_refused():
    with pytest.raises(TypeError, match="custom_caption_func"):
        VisionCapability(lmm_config=None, custom_caption_func="caption")
