"""ImageGeneration: an agent answers a request for a picture with an image drawn by the images API."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image

from autogen import ConversableAgent
from autogen.agentchat.contrib.capabilities.generate_images import (
    PROMPT_INSTRUCTIONS,
    SHOULD_GENERATE_INSTRUCTIONS,
    DalleImageGenerator,
    ImageGeneration,
    ImageGenerationError,
)
from autogen.cache import Cache
from autogen.testing import Fail

REQUEST = "Please draw me a picture of a red cat on a blue sofa."
PROMPT = "A red cat sitting on a blue velvet sofa, soft light, photo"


def analyzer(body: dict[str, Any]) -> str:
    """The scripted model: the text analyser's two questions, and the agent's ordinary answers."""
    text = body["messages"][-1]["content"]
    if isinstance(text, str) and text.startswith("# INSTRUCTIONS"):
        if "yes or no" in text:
            return "Yes." if "draw" in text.split("# TEXT", 1)[1] else "no"
        return PROMPT
    return "Just words, no picture."


@pytest.fixture
def image_config(server) -> dict:
    return {"config_list": server.config_list(model="dall-e-3")}


def painter(llm_config: dict, capability: ImageGeneration) -> ConversableAgent:
    agent = ConversableAgent("painter", llm_config=llm_config, human_input_mode="NEVER", system_message="Be kind.")
    capability.add_to_agent(agent)
    return agent


def user() -> ConversableAgent:
    return ConversableAgent("user", llm_config=False, human_input_mode="NEVER")


def image_of(message: dict) -> Image.Image:
    url = message["content"][1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))


def test_a_request_for_an_image_is_answered_with_the_generated_png(server, llm_config, image_config, start):
    server.default_reply = analyzer
    generator = DalleImageGenerator(image_config, resolution="64x48")
    agent = painter(llm_config, ImageGeneration(generator))
    sender = user()
    start(sender, agent, message=REQUEST, max_turns=1, silent=True)
    reply = sender.chat_messages[agent][-1]
    assert reply["content"][0] == {"type": "text", "text": f"I generated an image with the prompt: {PROMPT}"}
    picture = image_of(reply)
    assert picture.format == "PNG" and picture.size == (64, 48)
    [sent] = server.image_requests
    assert sent["prompt"] == PROMPT and sent["size"] == "64x48" and sent["model"] == "dall-e-3"
    asked = [r["messages"][-1]["content"] for r in server.chat_requests]
    assert SHOULD_GENERATE_INSTRUCTIONS in asked[0] and REQUEST in asked[0]
    assert PROMPT_INSTRUCTIONS in asked[1] and REQUEST in asked[1]
    assert len(asked) == 2  # the agent's own model was not asked


def test_a_message_without_an_image_request_gets_the_ordinary_reply(server, llm_config, image_config):
    server.default_reply = analyzer
    agent = painter(llm_config, ImageGeneration(DalleImageGenerator(image_config)))
    result = user().initiate_chat(agent, message="What is two plus two?", max_turns=1, silent=True)
    assert result.summary == "Just words, no picture."
    assert server.image_requests == []


def test_a_second_identical_request_is_served_from_the_cache(server, llm_config, image_config, tmp_path):
    server.default_reply = analyzer
    generator = DalleImageGenerator(image_config, resolution="32x32")
    with Cache.disk(cache_seed="images", cache_path_root=tmp_path / "cache") as cache:
        agent = painter(llm_config, ImageGeneration(generator, cache=cache))
        first = user().initiate_chat(agent, message=REQUEST, max_turns=1, silent=True)
        second = user().initiate_chat(agent, message=REQUEST, max_turns=1, silent=True)
        assert cache.get(generator.cache_key(PROMPT)).startswith("data:image/png;base64,")
    assert len(server.image_requests) == 1
    pictures = [image_of(result.chat_history[-1]) for result in (first, second)]
    assert pictures[0].tobytes() == pictures[1].tobytes()


def test_a_failing_image_api_raises_a_clear_error_and_keeps_the_history(server, llm_config, image_config):
    server.default_reply = analyzer
    server.script_images(Fail(500, "the image service is down"))
    agent = painter(llm_config, ImageGeneration(DalleImageGenerator(image_config)))
    sender = user()
    with pytest.raises(ImageGenerationError, match="HTTP 500: the image service is down") as info:
        sender.initiate_chat(agent, message=REQUEST, max_turns=1, silent=True)
    assert PROMPT in str(info.value) and "dall-e-3" in str(info.value)
    assert server.api_key not in str(info.value)
    assert [m["content"] for m in agent.chat_messages[sender]] == [REQUEST]  # nothing half-written
    sender.send(REQUEST, agent, request_reply=True, silent=True)  # the service is back: the chat goes on
    assert image_of(agent.chat_messages[sender][-1]).format == "PNG"


def test_the_url_response_format_downloads_the_image_without_the_api_key(server, image_config):
    generator = DalleImageGenerator(image_config, resolution="20x10", num_images=2, response_format="url")
    picture = generator.generate_image("a lighthouse")
    assert picture.size == (20, 10)
    assert server.image_requests[0]["response_format"] == "url" and server.image_requests[0]["n"] == 2
    download = server.requests[-1]
    assert download.path.startswith("/images/files/") and "authorization" not in download.headers


def test_the_capability_tells_the_agent_it_can_draw(llm_config, image_config):
    agent = painter(llm_config, ImageGeneration(DalleImageGenerator(image_config)))
    assert agent.system_message.startswith("Be kind.\n") and "generate images" in agent.system_message
    assert agent.description.endswith("This agent can generate images.")


def test_a_custom_generator_and_analyzer_model_are_used(server, llm_config):
    class Squares:
        def __init__(self) -> None:
            self.prompts: list[str] = []

        def generate_image(self, prompt: str) -> Image.Image:
            self.prompts.append(prompt)
            return Image.new("RGB", (3, 3), (0, 255, 0))

        def cache_key(self, prompt: str) -> str:
            return f"squares:{prompt}"

    server.default_reply = analyzer
    squares = Squares()
    analyser_config = {"config_list": server.config_list(model="analyser-model"), "cache_seed": None}
    agent = painter(llm_config, ImageGeneration(squares, text_analyzer_llm_config=analyser_config))
    result = user().initiate_chat(agent, message=REQUEST, max_turns=1, silent=True)
    assert squares.prompts == [PROMPT]
    assert image_of(result.chat_history[-1]).getpixel((1, 1)) == (0, 255, 0)
    assert {r["model"] for r in server.chat_requests} == {"analyser-model"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"llm_config": {"config_list": [{"model": "gpt-4o", "api_key": "k"}]}}, "needs an image model"),
        ({"llm_config": {"config_list": []}}, "non-empty 'config_list'"),
        ({"llm_config": "dall-e-3"}, "must be a dict"),
        ({"resolution": "big"}, "resolution must look like '1024x1024'"),
        ({"num_images": 0}, "num_images must be an integer from 1 to 10, got 0"),
        ({"response_format": "png"}, "response_format must be 'b64_json' or 'url', got 'png'"),
    ],
)
def test_dalle_generator_bad_arguments_are_named(image_config, kwargs, message):
    with pytest.raises(ValueError, match=message):
        DalleImageGenerator(**{"llm_config": image_config, **kwargs})


def test_image_generation_bad_arguments_are_named(image_config):
    generator = DalleImageGenerator(image_config)
    with pytest.raises(TypeError, match=r"generate_image.*cache_key"):
        ImageGeneration(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cache must be an AbstractCache"):
        ImageGeneration(generator, cache="disk")
    with pytest.raises(ValueError, match="verbosity must be 0, 1 or 2"):
        ImageGeneration(generator, verbosity=-1)
    agent = ConversableAgent("plain", llm_config=False)
    with pytest.raises(ValueError, match="pass text_analyzer_llm_config"):
        ImageGeneration(generator).add_to_agent(agent)


def test_the_cache_key_names_every_setting(image_config):
    generator = DalleImageGenerator(image_config, resolution="512x512", quality="hd", num_images=2)
    assert generator.cache_key("a cat") == "a cat,dall-e-3,512x512,hd,2"
    assert generator.cache_key("a dog") != generator.cache_key("a cat")


@pytest.mark.parametrize(
    ("prompt", "pattern"),
    [
        (SHOULD_GENERATE_INSTRUCTIONS, r"ask for an image to be generated"),
        (SHOULD_GENERATE_INSTRUCTIONS, r"only if the TEXT explicitly says"),
        (SHOULD_GENERATE_INSTRUCTIONS, r"one word: yes or no"),
        (PROMPT_INSTRUCTIONS, r"detailed prompt.*image the TEXT describes"),
        (PROMPT_INSTRUCTIONS, r"Do not add any advice"),
        (PROMPT_INSTRUCTIONS, r"EXAMPLE: Blue background, 3D shapes, \.\.\."),
    ],
)
def test_the_analyser_prompts_give_0_2s_instructions(prompt, pattern):
    import re

    assert re.search(pattern, prompt, re.DOTALL)


def test_verbosity_prints_the_prompt_and_cache_hits(server, llm_config, image_config, human):
    server.default_reply = analyzer
    generator = DalleImageGenerator(image_config, resolution="8x8")
    agent = painter(llm_config, ImageGeneration(generator, cache=Cache.in_memory(), verbosity=2))
    for _ in range(2):
        user().initiate_chat(agent, message=REQUEST, max_turns=1, silent=True)
    printed = human.text
    assert f"generating an image for the prompt: {PROMPT}" in printed
    assert f"found an image for the prompt in the cache: {PROMPT}" in printed
    assert "the analyser says 'Yes.': an image" in printed


def test_without_pillow_the_generator_names_the_install_command(image_config, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r'pip install "autogen\[lmm\]"'):
        DalleImageGenerator(image_config)
