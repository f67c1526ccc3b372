"""Tag forms ``parse_tags_from_content`` reads, as 0.2.35 did, and how the image helpers use them.

Each case: (tag, text, the ``attr`` of each tag found, in order).
"""

from __future__ import annotations

import re
import warnings

import pytest

from autogen.agentchat.utils import parse_tags_from_content

TAG_FORMS = [
    pytest.param("img", "look at <img http://example.com/a.png>", [{"src": "http://example.com/a.png"}], id="url"),
    pytest.param("img", "<img C:\\pics\\a.png>", [{"src": "C:\\pics\\a.png"}], id="windows-path"),
    pytest.param("img", "<img ../pics/a.png>", [{"src": "../pics/a.png"}], id="relative-path"),
    pytest.param("img", '<img "my pics/a b.png">', [{"src": "my pics/a b.png"}], id="double-quoted-path-with-spaces"),
    pytest.param("img", "<img 'my pics/a b.png'>", [{"src": "my pics/a b.png"}], id="single-quoted-path-with-spaces"),
    pytest.param("img", "<img my pics/a b.png>", [{"src": "my pics/a b.png"}], id="unquoted-path-with-spaces"),
    pytest.param("img", '<img src="my pics/a b.png">', [{"src": "my pics/a b.png"}], id="src-attribute"),
    pytest.param("img", "<img src=pics/a.png>", [{"src": "pics/a.png"}], id="unquoted-src-attribute"),
    pytest.param(
        "img", "<img https://x.test/a.png?w=1&h=2>", [{"src": "https://x.test/a.png?w=1&h=2"}], id="url-with-query"
    ),
    pytest.param(
        "img",
        "<img data:image/png;base64,iVBORw0K+/AA==>",
        [{"src": "data:image/png;base64,iVBORw0K+/AA=="}],
        id="data-uri",
    ),
    pytest.param("img", "<img aGVsbG8=>", [{"src": "aGVsbG8="}], id="padded-base64"),
    pytest.param(
        "img",
        "<img http://x.test/a.png width='100'> and <img http://x.test/image=.png>",
        [{"src": "http://x.test/a.png", "width": "100"}, {"src": "http://x.test/image=.png"}],
        id="two-tags-one-with-attribute",
    ),
    pytest.param(
        "img", "<img url='http://x.test/=a.png'>", [{"url": "http://x.test/=a.png"}], id="named-attribute-only"
    ),
    pytest.param("img", "<img a.png width=100>", [{"src": "a.png", "width": "100"}], id="unquoted-word-attribute"),
    pytest.param("audio", "<audio http://x.test/au=dio.mp3>", [{"src": "http://x.test/au=dio.mp3"}], id="audio-url"),
    pytest.param(
        "audio",
        "<audio text='Hello I'm a robot' prompt='whisper'>",
        [{"text": "Hello I'm a robot", "prompt": "whisper"}],
        id="apostrophe-inside-single-quotes",
    ),
    pytest.param(
        "audio",
        "<audio text=\"She said 'hi'\" prompt='whisper ' >",
        [{"text": "She said 'hi'", "prompt": "whisper "}],
        id="other-quote-inside-and-trailing-space",
    ),
    pytest.param("video", "<video clips/a.mp4>", [{"src": "clips/a.mp4"}], id="video"),
    pytest.param("img", "<img\n  a.png>", [{"src": "a.png"}], id="newline-after-name"),
    pytest.param("img", "no tags here", [], id="no-tag"),
    pytest.param("img", "<img>", [], id="empty-tag-is-not-a-tag"),
    pytest.param("img", "<imgs a.png>", [], id="longer-tag-name-is-another-tag"),
    pytest.param("img", "<audio a.mp3>", [], id="other-tag-name-is-ignored"),
    pytest.param("a.b", "<a.b x.png> <axb y.png>", [{"src": "x.png"}], id="tag-name-is-literal-not-a-pattern"),
]


@pytest.mark.parametrize(("tag", "text", "expected"), TAG_FORMS)
def test_tag_forms(tag: str, text: str, expected: list[dict[str, str]]) -> None:
    found = parse_tags_from_content(tag, text)
    assert [t["attr"] for t in found] == expected
    assert all(t["tag"] == tag for t in found)


def test_tag_is_also_accepted_by_keyword() -> None:
    assert parse_tags_from_content(tag="audio", content="<audio a.mp3>")[0]["attr"] == {"src": "a.mp3"}


def test_match_locates_each_tag_in_its_text() -> None:
    text = "first <img a.png> then <img b.png> end"
    found = parse_tags_from_content("img", text)
    assert all(isinstance(t["match"], re.Match) for t in found)
    assert [text[t["match"].start() : t["match"].end()] for t in found] == ["<img a.png>", "<img b.png>"]


def test_list_content_searches_only_text_parts() -> None:
    content = [
        {"type": "text", "text": "<img a.png>"},
        {"type": "image_url", "image_url": {"url": "<img not-text.png>"}},
        {"type": "text"},
        {"type": "text", "text": "x <img b.png>"},
    ]
    found = parse_tags_from_content("img", content)
    assert [t["attr"]["src"] for t in found] == ["a.png", "b.png"]
    assert found[1]["match"].string == "x <img b.png>"


@pytest.mark.parametrize("content", [None, 42, {"type": "text", "text": "<img a.png>"}])
def test_other_content_is_rejected(content: object) -> None:
    with pytest.raises(ValueError, match="content"):
        parse_tags_from_content("img", content)  # type: ignore[arg-type]


# -- the image helpers read tags the same way ------------------------------------------------------
def test_gpt4v_formatter_reads_the_src_attribute_beside_other_attributes() -> None:
    from autogen.agentchat.contrib.img_utils import gpt4v_formatter

    parts = gpt4v_formatter('see <img src="http://x.test/a b.png" width="10"> now', img_format="url")
    assert parts == [
        {"type": "text", "text": "see "},
        {"type": "image_url", "image_url": {"url": "http://x.test/a b.png"}},
        {"type": "text", "text": " now"},
    ]


def test_gpt4v_formatter_leaves_a_tag_without_image_in_the_text_with_a_warning() -> None:
    from autogen.agentchat.contrib.img_utils import gpt4v_formatter

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parts = gpt4v_formatter("a <img width='10'> b", img_format="url")
    assert parts == [{"type": "text", "text": "a <img width='10'> b"}]
    assert any("names no image" in str(w.message) for w in caught)
