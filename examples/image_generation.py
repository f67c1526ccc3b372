"""Ask an agent for a picture: the ImageGeneration capability notices the request, writes an image
prompt, has OpenAI's images API draw it, and the agent answers with the image, saved here as a PNG.

    python examples/image_generation.py "Draw a lighthouse at dusk, in watercolours."
    python examples/image_generation.py --image-model dall-e-3 --size 1792x1024 --out dusk.png "..."

The chat model (the text analyser) comes from OAI_CONFIG_LIST; the image model uses the same endpoint
and key. Images are cached in ``--cache`` (default ``tmp/image_cache``), so asking again costs nothing.
Needs pillow: ``pip install -e ".[lmm]"``.
"""

from __future__ import annotations

import argparse
import base64
import sys
from pathlib import Path
from typing import Any, Optional

from _models import add_model_arguments, llm_config_from

from autogen import ConversableAgent, UserProxyAgent
from autogen.agentchat.contrib.capabilities.generate_images import DalleImageGenerator, ImageGeneration
from autogen.cache import Cache

DEFAULT_REQUEST = "Please draw a picture of a lighthouse at dusk, in watercolours."


def draw(request: str, llm_config: dict[str, Any], image_model: str, size: str, cache_dir: str) -> Optional[bytes]:
    """Ask a painter agent for ``request``; returns the PNG it answered with, or None (it printed why)."""
    entry = llm_config["config_list"][0]
    image_config = {"config_list": [{**entry, "model": image_model}]}
    painter = ConversableAgent("painter", llm_config=llm_config, human_input_mode="NEVER")
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply=None)
    with Cache.disk(cache_seed="images", cache_path_root=cache_dir) as cache:
        ImageGeneration(DalleImageGenerator(image_config, resolution=size), cache=cache).add_to_agent(painter)
        result = user.initiate_chat(painter, message=request, max_turns=1, silent=True)
    reply = result.chat_history[-1]["content"]
    if not isinstance(reply, list):
        print(f"The painter answered without an image: {reply}")
        return None
    print(reply[0]["text"])
    url = reply[1]["image_url"]["url"]
    return base64.b64decode(url.split(",", 1)[1])


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("request", nargs="?", default=DEFAULT_REQUEST, help="what to ask the painter for")
    parser.add_argument("--image-model", default="dall-e-3", help="the images API model")
    parser.add_argument("--size", default="1024x1024", help="WIDTHxHEIGHT of the image")
    parser.add_argument("--out", default="image.png", help="where to save the PNG")
    parser.add_argument("--cache", default="tmp/image_cache", help="folder of the image cache")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    if args.local:
        print("The embedded local model has no images API; use an OAI_CONFIG_LIST endpoint.", file=sys.stderr)
        return 2
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        png = draw(args.request, llm_config, args.image_model, args.size, args.cache)
    if png is None:
        return 1
    Path(args.out).write_bytes(png)
    print(f"Saved the image to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
