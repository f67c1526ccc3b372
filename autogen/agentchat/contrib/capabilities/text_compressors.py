"""Text compressors used by ``TextMessageCompressor``."""

from __future__ import annotations

from typing import Any, Optional, Protocol, runtime_checkable

__all__ = ["LLMLingua", "TextCompressor"]

_INSTALL_HINT = 'LLMLingua is not installed. Install it with: pip install "autogen[long-context]" (or llmlingua<0.3)'


@runtime_checkable
class TextCompressor(Protocol):
    """Compresses text; returns at least ``{"compressed_prompt": str}``, optionally token counts."""

    def compress_text(self, text: str, **compression_params: Any) -> dict[str, Any]:
        """Compress ``text``; ``origin_tokens`` and ``compressed_tokens`` in the result report savings."""
        ...


class LLMLingua:
    """Prompt compression with Microsoft's LLMLingua (a local model; downloaded on first use).

    Args:
        prompt_compressor_kwargs: Arguments for ``llmlingua.PromptCompressor``; by default the
            LLMLingua-2 multilingual BERT model on CPU.
        structured_compression: Use ``structured_compress_prompt`` instead of ``compress_prompt``.

    Raises:
        ImportError: ``llmlingua`` is not installed (the ``long-context`` extra).
    """

    def __init__(
        self, prompt_compressor_kwargs: Optional[dict[str, Any]] = None, structured_compression: bool = False
    ) -> None:
        try:
            from llmlingua import PromptCompressor
        except ImportError as error:
            raise ImportError(_INSTALL_HINT) from error
        kwargs = prompt_compressor_kwargs or {
            "model_name": "microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank",
            "use_llmlingua2": True,
            "device_map": "cpu",
        }
        self._prompt_compressor = PromptCompressor(**kwargs)
        self._compression_method = (
            self._prompt_compressor.structured_compress_prompt
            if structured_compression
            else self._prompt_compressor.compress_prompt
        )

    def compress_text(self, text: str, **compression_params: Any) -> dict[str, Any]:
        """Compress ``text`` with LLMLingua."""
        return self._compression_method([text], **compression_params)
