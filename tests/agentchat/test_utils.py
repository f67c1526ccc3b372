"""agentchat.utils: usage summaries, chat-queue checks, tag parsing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from autogen.agentchat.utils import consolidate_chat_info, gather_usage_summary, parse_tags_from_content


def agent_with_usage(total, actual):
    return SimpleNamespace(client=SimpleNamespace(total_usage_summary=total, actual_usage_summary=actual))


def test_gather_usage_summary_sums_models_across_agents():
    usage = {"total_cost": 0.5, "gpt-4": {"cost": 0.5, "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
    other = {"total_cost": 0.25, "gpt-4": {"cost": 0.25, "prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5}}
    summary = gather_usage_summary([agent_with_usage(usage, None), agent_with_usage(other, other)])
    assert summary["usage_including_cached_inference"] == {
        "total_cost": 0.75,
        "gpt-4": {"cost": 0.75, "prompt_tokens": 14, "completion_tokens": 6, "total_tokens": 20},
    }
    assert summary["usage_excluding_cached_inference"]["total_cost"] == 0.25
    assert usage["gpt-4"]["total_tokens"] == 15  # inputs are not changed


def test_gather_usage_summary_skips_agents_without_client():
    assert gather_usage_summary([SimpleNamespace(client=None), object()]) == {
        "usage_including_cached_inference": {"total_cost": 0},
        "usage_excluding_cached_inference": {"total_cost": 0},
    }


def test_consolidate_chat_info_checks_summary_method():
    sender = SimpleNamespace(client=None)
    consolidate_chat_info({"recipient": sender, "summary_method": "last_msg"}, uniform_sender=sender)
    with pytest.raises(ValueError, match="summary_method"):
        consolidate_chat_info([{"sender": sender, "recipient": sender, "summary_method": 3}])


def test_parse_tags_with_a_bare_value():
    tags = parse_tags_from_content("img", "look <img https://example.com/a.png> here")
    assert len(tags) == 1
    assert tags[0]["tag"] == "img"
    assert tags[0]["attr"] == {"src": "https://example.com/a.png"}
    assert tags[0]["match"].group(0) == "<img https://example.com/a.png>"


def test_parse_tags_with_attributes_and_multimodal_content():
    content = [
        {"type": "text", "text": 'a <img src="x.png" width=10> b'},
        {"type": "image_url", "image_url": {"url": "data:"}},
        {"type": "text", "text": "<img y.jpg>"},
    ]
    tags = parse_tags_from_content("img", content)
    assert [t["attr"] for t in tags] == [{"src": "x.png", "width": "10"}, {"src": "y.jpg"}]


def test_parse_tags_rejects_other_content():
    with pytest.raises(ValueError, match="content"):
        parse_tags_from_content("img", 42)


def test_parse_tags_keeps_a_url_with_a_query_string_whole():
    tags = parse_tags_from_content("img", "see <img https://x.test/a.png?x=1&y=2>")
    assert tags[0]["attr"] == {"src": "https://x.test/a.png?x=1&y=2"}


def test_parse_tags_keeps_a_padded_data_uri_whole():
    tags = parse_tags_from_content("img", "<img data:image/png;base64,AAAA==>")
    assert tags[0]["attr"] == {"src": "data:image/png;base64,AAAA=="}


def test_parse_tags_reads_quoted_attributes_beside_the_source():
    tags = parse_tags_from_content("img", '<img a.png width="20">')
    assert tags[0]["attr"] == {"src": "a.png", "width": "20"}
