"""Speaker-transition graphs for group chats: validation, inversion and pictures.

A transition graph is a dict mapping each agent to the list of agents allowed (or, before
:func:`invert_disallowed_to_allowed`, not allowed) to speak right after it. Agents are any
objects with a ``name``; the graph is keyed by the agent objects themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Optional

__all__ = [
    "check_graph_validity",
    "check_transitions_structure",
    "has_self_loops",
    "invert_disallowed_to_allowed",
    "visualize_speaker_transitions_dict",
]

logger = logging.getLogger(__name__)


def _name(agent: Any) -> str:
    return str(getattr(agent, "name", agent))


def has_self_loops(allowed_speaker_transitions: dict) -> bool:
    """Return True when some agent may speak twice in a row (it lists itself as a successor)."""
    return any(agent in successors for agent, successors in allowed_speaker_transitions.items())


def check_transitions_structure(transitions: dict, agents: list) -> None:
    """Raise ValueError unless ``transitions`` is a dict of lists whose keys are all in ``agents``.

    A successor that is not in ``agents`` is logged as a warning (as 0.2 did) and ignored by group chats.
    """
    if not isinstance(transitions, dict):
        raise ValueError(
            "A transition graph must be a dict mapping each agent to a list of agents, "
            f"got {type(transitions).__name__}."
        )
    known = list(agents)
    known_names = [_name(a) for a in known]
    for source, successors in transitions.items():
        if not isinstance(successors, list):
            raise ValueError(
                f"The transitions of agent {_name(source)!r} must be a list of agents, got {type(successors).__name__}."
            )
        if source not in known:
            raise ValueError(
                f"The transition graph has agent {_name(source)!r} as a key, but it is not in the group chat's "
                f"agents {known_names}."
            )
        unknown = [_name(s) for s in successors if s not in known]
        if unknown:  # as 0.2: a warning; the group chat ignores these transitions
            logger.warning(
                "The transitions of agent %r lead to %s, which are not in the group chat's agents %s; "
                "those transitions are ignored.",
                _name(source),
                unknown,
                known_names,
            )


def check_graph_validity(allowed_speaker_transitions_dict: dict, agents: list) -> None:
    """Check that a transition graph is usable by a group chat of ``agents``.

    Errors (``ValueError``): the graph is not a dict of lists; a key is not one of ``agents``; no
    transition exists at all, so nobody could ever speak after the first message.
    Warnings (logged): a successor that is not one of ``agents`` (ignored by group chats, as in 0.2);
    a successor listed twice; an agent that no transition reaches, or one after which nobody may
    speak (the chat ends there when it speaks).

    Args:
        allowed_speaker_transitions_dict: agent -> agents allowed to speak after it.
        agents: the group chat's agents.

    Raises:
        ValueError: naming the offending agent(s) and what is valid.
    """
    check_transitions_structure(allowed_speaker_transitions_dict, agents)
    known = list(agents)
    for source, successors in allowed_speaker_transitions_dict.items():
        repeated = sorted({_name(s) for s in successors if successors.count(s) > 1})
        if repeated:
            logger.warning("The transitions of agent %r list %s more than once (duplicates).", _name(source), repeated)
    if not any(allowed_speaker_transitions_dict.values()):
        raise ValueError(
            "The transition graph has no transitions at all: nobody could speak after the first message. "
            "Give at least one agent a non-empty list of successors."
        )
    reached = {id(s) for successors in allowed_speaker_transitions_dict.values() for s in successors}
    for agent in known:
        successors = allowed_speaker_transitions_dict.get(agent, [])
        if id(agent) not in reached and not successors:
            logger.warning("Agent %r is isolated in the transition graph: it can never speak.", _name(agent))
        elif id(agent) not in reached:
            logger.warning(
                "No transition leads to agent %r: it can only speak first (when it starts the chat).", _name(agent)
            )
        elif not successors:
            logger.warning("Nobody may speak after agent %r: the group chat ends when it speaks.", _name(agent))


def invert_disallowed_to_allowed(disallowed_speaker_transitions_dict: dict, agents: list) -> dict:
    """Turn a graph of forbidden transitions into the graph of allowed ones over ``agents``.

    Every agent gets an entry; it may be followed by every agent (itself included) that its
    disallowed list does not name. Agents of the disallowed graph that are not in ``agents`` are
    ignored, with a warning (:class:`~autogen.agentchat.groupchat.GroupChat` refuses them).
    """
    known = list(agents)
    strangers = sorted(
        {
            _name(a)
            for source, forbidden in disallowed_speaker_transitions_dict.items()
            for a in [source, *forbidden]
            if a not in known
        }
    )
    if strangers:
        logger.warning(
            "The disallowed transitions name %s, which are not among the agents %s; they are ignored.",
            strangers,
            [_name(a) for a in known],
        )
    return {
        agent: [other for other in known if other not in disallowed_speaker_transitions_dict.get(agent, [])]
        for agent in known
    }


def _import_graph_libs() -> tuple[Any, Any]:
    try:
        import networkx as nx
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Drawing a transition graph needs networkx and matplotlib: pip install 'autogen[graph]'"
        ) from exc
    return nx, Figure


def visualize_speaker_transitions_dict(
    speaker_transitions_dict: dict, agents: Iterable[Any], export_path: Optional[str] = None
) -> Any:
    """Draw the transition graph; save it to ``export_path`` (any image format matplotlib knows) if given.

    Without ``export_path`` the picture is shown with ``matplotlib.pyplot.show()``.

    Returns:
        The ``networkx.DiGraph`` that was drawn.
    """
    nx, figure_cls = _import_graph_libs()
    graph = nx.DiGraph()
    graph.add_nodes_from(_name(a) for a in agents)
    for source, successors in speaker_transitions_dict.items():
        for successor in successors:
            graph.add_edge(_name(source), _name(successor))
    if export_path is None:
        import matplotlib.pyplot as plt

        nx.draw(graph, with_labels=True, font_weight="bold", node_color="#9ecae1", arrowsize=16)
        plt.show()
        return graph
    figure = figure_cls(figsize=(6, 6))
    axes = figure.add_subplot()
    nx.draw(graph, ax=axes, with_labels=True, font_weight="bold", node_color="#9ecae1", arrowsize=16)
    figure.savefig(export_path)
    return graph
