"""Transition-graph helpers: validation errors and warnings, inversion, self loops, pictures."""

from __future__ import annotations

import logging

import pytest

from autogen.graph_utils import (
    check_graph_validity,
    has_self_loops,
    invert_disallowed_to_allowed,
    visualize_speaker_transitions_dict,
)


class Named:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Named({self.name})"


@pytest.fixture
def abc():
    return Named("a"), Named("b"), Named("c")


def test_a_complete_graph_is_valid(abc):
    a, b, c = abc
    check_graph_validity({a: [b, c], b: [a, c], c: [a, b]}, [a, b, c])


def test_a_graph_that_is_not_a_dict_is_rejected(abc):
    with pytest.raises(ValueError, match="must be a dict"):
        check_graph_validity([(abc[0], abc[1])], list(abc))


def test_successors_that_are_not_a_list_are_rejected(abc):
    a, b, c = abc
    with pytest.raises(ValueError, match="'a' must be a list"):
        check_graph_validity({a: b}, [a, b, c])


def test_a_key_outside_the_group_is_named_in_the_error(abc):
    a, b, c = abc
    stranger = Named("stranger")
    with pytest.raises(ValueError, match="'stranger' as a key"):
        check_graph_validity({a: [b], stranger: [a]}, [a, b, c])


def test_a_dangling_edge_to_an_unknown_agent_is_warned_about_as_in_0_2(abc, caplog):
    a, b, c = abc
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        check_graph_validity({a: [b, Named("ghost")], b: [a]}, [a, b, c])
    assert "lead to ['ghost']" in caplog.text and "ignored" in caplog.text


def test_a_repeated_successor_is_warned_about(abc, caplog):
    a, b, c = abc
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        check_graph_validity({a: [b, b]}, [a, b, c])
    assert "['b'] more than once (duplicates)" in caplog.text


def test_a_graph_without_any_transition_is_impossible(abc):
    a, b, c = abc
    with pytest.raises(ValueError, match="no transitions at all"):
        check_graph_validity({a: [], b: []}, [a, b, c])


def test_isolated_and_sink_agents_are_warned_about(abc, caplog):
    a, b, c = abc
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        check_graph_validity({a: [b]}, [a, b, c])
    text = caplog.text
    assert "'c' is isolated" in text
    assert "Nobody may speak after agent 'b'" in text
    assert "No transition leads to agent 'a'" in text


def test_has_self_loops_detects_an_agent_following_itself(abc):
    a, b, _ = abc
    assert has_self_loops({a: [a, b], b: [a]})
    assert not has_self_loops({a: [b], b: [a]})


def test_invert_gives_every_agent_all_successors_not_forbidden(abc):
    a, b, c = abc
    allowed = invert_disallowed_to_allowed({a: [b], c: [c]}, [a, b, c])
    assert allowed == {a: [a, c], b: [a, b, c], c: [a, b]}


def test_invert_ignores_unknown_agents_with_a_warning(abc, caplog):
    a, b, c = abc
    with caplog.at_level(logging.WARNING, logger="autogen.graph_utils"):
        allowed = invert_disallowed_to_allowed({a: [Named("ghost")]}, [a, b, c])
    assert allowed == {a: [a, b, c], b: [a, b, c], c: [a, b, c]}
    assert "['ghost']" in caplog.text


def test_visualize_saves_an_image_file(abc, tmp_path):
    pytest.importorskip("networkx")
    pytest.importorskip("matplotlib")
    a, b, c = abc
    path = tmp_path / "graph.png"
    graph = visualize_speaker_transitions_dict({a: [b], b: [c], c: [a]}, [a, b, c], export_path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(graph.edges) == [("a", "b"), ("b", "c"), ("c", "a")]
