"""ImageGeneration: lets an agent answer a request for a picture with a generated image.

When the agent is about to reply, a text analyser (a :class:`TextAnalyzerAgent` on a model) reads the
last message and decides whether it asks for an image; if so it writes the image prompt, an
:class:`ImageGenerator` (by default :class:`DalleImageGenerator`, OpenAI's images API) draws it, and
the reply is a multimodal message holding the image. Images can be kept in a cache (any
``AbstractCache``, e.g. ``Cache.disk()``), keyed by the generator's :meth:`ImageGenerator.cache_key`.

Needs pillow: ``pip install "autogen[lmm]"``.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union, runtime_checkable

from ...._sync import in_worker_thread
from ....code_utils import content_str
from ....formatting_utils import colored
from ....io.base import IOStream
from ...agent import Agent
from ...chat_run import ChatRun
from ..img_utils import get_pil_image, pil_to_data_uri
from ..text_analyzer_agent import TextAnalyzerAgent
from ._dalle import DalleImageGenerator, ImageGenerationError
from .agent_capability import AgentCapability

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "DESCRIPTION_MESSAGE",
    "DalleImageGenerator",
    "ImageGeneration",
    "ImageGenerationError",
    "ImageGenerator",
    "PROMPT_INSTRUCTIONS",
    "SHOULD_GENERATE_INSTRUCTIONS",
    "SYSTEM_MESSAGE",
]

SYSTEM_MESSAGE = "You can generate images: when you are asked for one, it is drawn for you."
DESCRIPTION_MESSAGE = "This agent can generate images."

PROMPT_INSTRUCTIONS = """Write a detailed prompt for an image generator that would draw the image the TEXT describes.
Do not add any advice. Answer only with the prompt, in the style of this example:
EXAMPLE: Blue background, 3D shapes, ..."""

SHOULD_GENERATE_INSTRUCTIONS = """Does any part of the TEXT ask for an image to be generated?
Count it only if the TEXT explicitly says that an image must be generated.
Answer with one word: yes or no."""

Message = dict[str, Any]


@runtime_checkable
class ImageGenerator(Protocol):
    """What :class:`ImageGeneration` needs from an image generator.

    A generator may also have ``async def a_generate_image(prompt)``; the capability then awaits it
    instead of running ``generate_image`` on a worker thread.
    """

    def generate_image(self, prompt: str) -> Image:
        """Draw an image for ``prompt`` (a PIL image); raise on failure."""
        ...

    def cache_key(self, prompt: str) -> str:
        """A key naming the image this generator would draw for ``prompt`` (its settings included)."""
        ...


class ImageGeneration(AgentCapability):
    """Give an agent the ability to answer requests for images with generated images.

    Args:
        image_generator: draws the images (an :class:`ImageGenerator`).
        cache: where generated images are kept (an ``AbstractCache``; None: no cache).
        text_analyzer_llm_config: the model that decides whether a message asks for an image and
            writes the prompt; None: the agent's own ``llm_config``.
        text_analyzer_instructions: how the analyser turns the message into an image prompt.
        verbosity: 0 prints nothing; 1 prints each prompt and whether the image came from the cache;
            2 also prints the analyser's decisions.
        register_reply_position: where the reply function goes in the agent's reply chain.
    """

    def __init__(
        self,
        image_generator: ImageGenerator,
        cache: Optional[Any] = None,
        text_analyzer_llm_config: Optional[dict[str, Any]] = None,
        text_analyzer_instructions: str = PROMPT_INSTRUCTIONS,
        verbosity: int = 0,
        register_reply_position: int = 2,
    ) -> None:
        super().__init__()
        if not isinstance(image_generator, ImageGenerator):
            raise TypeError(
                "image_generator must have generate_image(prompt) and cache_key(prompt) methods "
                f"(an ImageGenerator such as DalleImageGenerator), not {type(image_generator).__name__}"
            )
        if cache is not None and not (callable(getattr(cache, "get", None)) and callable(getattr(cache, "set", None))):
            raise TypeError(f"cache must be an AbstractCache such as Cache.disk(), or None; not {type(cache).__name__}")
        if text_analyzer_llm_config is not None and not isinstance(text_analyzer_llm_config, dict):
            raise TypeError(
                "text_analyzer_llm_config must be an llm_config dict or None, "
                f"not {type(text_analyzer_llm_config).__name__}"
            )
        if not isinstance(text_analyzer_instructions, str) or not text_analyzer_instructions.strip():
            raise ValueError("text_analyzer_instructions must be a non-empty string")
        if not isinstance(verbosity, int) or isinstance(verbosity, bool) or verbosity < 0:
            raise ValueError(f"verbosity must be 0, 1 or 2, got {verbosity!r}")
        if not isinstance(register_reply_position, int) or register_reply_position < 0:
            raise ValueError(f"register_reply_position must be an integer >= 0, got {register_reply_position!r}")
        self._image_generator = image_generator
        self._cache = cache
        self._text_analyzer_llm_config = text_analyzer_llm_config
        self._text_analyzer_instructions = text_analyzer_instructions
        self._verbosity = verbosity
        self._register_reply_position = register_reply_position
        self._agent: Any = None
        self._text_analyzer: Optional[TextAnalyzerAgent] = None

    def add_to_agent(self, agent: Any) -> None:
        """Answer ``agent``'s requests for images from now on (a reply function), and say so in its system message.

        Raises:
            TypeError: ``agent`` is not a ConversableAgent.
            ValueError: neither ``text_analyzer_llm_config`` nor the agent has a model for the analyser.
        """
        from ...conversable_agent import ConversableAgent

        if not isinstance(agent, ConversableAgent):
            raise TypeError(f"ImageGeneration can be added to a ConversableAgent, not {type(agent).__name__}")
        llm_config = self._text_analyzer_llm_config or agent.llm_config
        if not llm_config:
            raise ValueError(
                f"ImageGeneration needs a model for its text analyser: agent {agent.name!r} has no llm_config; "
                "pass text_analyzer_llm_config=..."
            )
        self._agent = agent
        self._text_analyzer = TextAnalyzerAgent(llm_config=llm_config)
        agent._register_builtin_reply(
            [Agent, None],
            self._image_gen_reply,
            self._a_image_gen_reply,
            self._builtin_reply,
            position=self._register_reply_position,
        )
        agent.update_system_message(f"{agent.system_message}\n{SYSTEM_MESSAGE}")
        agent.description = f"{agent.description}\n{DESCRIPTION_MESSAGE}"

    # ---- the reply function -----------------------------------------------------------------------------
    def _image_gen_reply(
        self, recipient: Any, messages: Optional[list[Message]], sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[Message, None]]:
        """The reply function (sync name, as 0.2's): an image if the last message asks for one."""
        from ...._sync import run_sync

        return run_sync(self._a_image_gen_reply(recipient, messages, sender, config))

    async def _a_image_gen_reply(
        self, recipient: Any, messages: Optional[list[Message]], sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[Message, None]]:
        """Async :meth:`_image_gen_reply`: ``(True, message with the image)`` or ``(False, None)``.

        Raises:
            ImageGenerationError: the generator failed (the conversation's history is left as it was).
        """
        if not messages:
            return False, None
        last_message = content_str(messages[-1].get("content"))
        if not last_message.strip():
            return False, None
        if not await self._a_should_generate_image(last_message):
            return False, None
        prompt = await self._a_extract_prompt(last_message)
        image = self._cache_get(prompt)
        if image is None:
            self._say(f"ImageGeneration: generating an image for the prompt: {prompt}", 1)
            image = await self._a_generate(prompt)
            self._cache_set(prompt, image)
        else:
            self._say(f"ImageGeneration: found an image for the prompt in the cache: {prompt}", 1)
        return True, self._generate_content_message(prompt, image)

    async def _builtin_reply(self, agent: Any, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
        """The reply-chain entry: the engine calls it with the chat's run."""
        return await self._a_image_gen_reply(agent, messages, sender, config)

    async def _a_should_generate_image(self, message: str) -> bool:
        answer = await self._a_analyze(message, SHOULD_GENERATE_INSTRUCTIONS)
        decision = answer.strip().strip(".!*\"'`").lower().startswith("yes")
        self._say(f"ImageGeneration: the analyser says {answer.strip()!r}: {'an' if decision else 'no'} image", 2)
        return decision

    async def _a_extract_prompt(self, message: str) -> str:
        prompt = (await self._a_analyze(message, self._text_analyzer_instructions)).strip()
        if prompt.upper().startswith("EXAMPLE:"):  # a model copying the example's label
            prompt = prompt[len("EXAMPLE:") :].strip()
        if not prompt:
            raise ImageGenerationError("the text analyser wrote an empty image prompt; nothing to draw")
        return prompt

    async def _a_analyze(self, text: str, instructions: str) -> str:
        assert self._text_analyzer is not None, "add_to_agent() first"
        analysis = await self._text_analyzer.a_analyze_text(text, instructions)
        return content_str(analysis.get("content") if isinstance(analysis, dict) else analysis)

    async def _a_generate(self, prompt: str) -> Image:
        generator = self._image_generator
        a_generate = getattr(generator, "a_generate_image", None)
        try:
            if a_generate is not None and inspect.iscoroutinefunction(a_generate):
                return await a_generate(prompt)
            return await in_worker_thread(generator.generate_image, prompt)
        except ImageGenerationError:
            raise
        except Exception as exc:
            raise ImageGenerationError(
                f"{type(generator).__name__} failed to generate an image for the prompt {prompt!r}: {exc}"
            ) from exc

    # ---- cache and message --------------------------------------------------------------------------------
    def _cache_get(self, prompt: str) -> Optional[Image]:
        if self._cache is None:
            return None
        cached = self._cache.get(self._image_generator.cache_key(prompt))
        return get_pil_image(cached) if cached else None

    def _cache_set(self, prompt: str, image: Image) -> None:
        if self._cache is not None:
            self._cache.set(self._image_generator.cache_key(prompt), pil_to_data_uri(image))

    @staticmethod
    def _generate_content_message(prompt: str, image: Image) -> Message:
        return {
            "content": [
                {"type": "text", "text": f"I generated an image with the prompt: {prompt}"},
                {"type": "image_url", "image_url": {"url": pil_to_data_uri(image)}},
            ]
        }

    def _say(self, text: str, level: int) -> None:
        if self._verbosity >= level:
            IOStream.get_default().print(colored(text, "magenta"), flush=True)
