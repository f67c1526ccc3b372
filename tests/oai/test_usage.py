"""Usage accounting and its printed summary."""

from __future__ import annotations

import pytest

from autogen.oai.usage import UsageTracker, format_usage_summary

USAGE = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5, "cost": 0.25, "model": "m"}


def test_cached_usage_counts_only_in_total():
    tracker = UsageTracker()
    tracker.record(USAGE, cached=False)
    tracker.record(USAGE, cached=True)
    assert tracker.total["m"]["total_tokens"] == 10
    assert tracker.actual["m"]["total_tokens"] == 5
    assert tracker.total["total_cost"] == pytest.approx(0.5)


def test_summary_text_says_when_everything_was_cached():
    tracker = UsageTracker()
    tracker.record(USAGE, cached=True)
    text = format_usage_summary(tracker.total, tracker.actual, ["actual", "total"])
    assert "every completion came from the cache" in text
    assert "* Model 'm': cost: 0.25, prompt_tokens: 3" in text


def test_summary_before_any_call():
    assert "no LLM call has been made yet" in format_usage_summary(None, None, "total")


def test_bad_mode_is_an_error():
    with pytest.raises(ValueError, match="got 'both'"):
        format_usage_summary(None, None, "both")
