"""Write the top entries of a benchmark profile as text (for ``bench/profiles/``).

    python bench/run.py --only s10 --repeats 1 --profile /tmp/prof      # CPU-time cProfile of the measured block
    python bench/profile_report.py /tmp/prof/ours-s10-0.prof bench/profiles/s10-ours.txt
    python bench/profile_report.py --importtime IMPORTTIME.txt bench/profiles/s1-imports.txt

A ``.prof`` file gives the top functions by own time and by cumulative time, plus how much of the total
lies under a few markers (the LLM client layer, aiohttp, the agents' engine). ``--importtime`` reads the
stderr of ``python -X importtime ...`` and lists the slowest imports (cumulative).
"""

from __future__ import annotations

import argparse
import io
import pstats
from pathlib import Path

# Where the time goes, by the functions' files: (label, path fragment of the function that opens the layer).
LAYERS = (
    ("OpenAIWrapper.a_create (the LLM client layer, transport included)", "autogen/oai/client.py", "a_create"),
    ("aiohttp ClientSession._request", "aiohttp/client.py", "_request"),
    ("openai SDK AsyncAPIClient.post", "openai/_base_client.py", "post"),
    ("the agents' engine reply step (the LLM call included)", "autogen/agentchat/_engine.py", "reply"),
)


def _cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    total = 0.0
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if file.endswith(path) and func == name:
            total = max(total, ct)  # the outermost frame's cumulative time (recursion counted once)
    return total


def profile_text(prof: Path, top: int) -> str:
    stats = pstats.Stats(str(prof))
    total = stats.total_tt  # type: ignore[attr-defined]
    out = io.StringIO()
    out.write(f"profile: {prof.name}, total CPU {total:.3f} s (profiler on: read shares, not absolute times)\n\n")
    for label, path, name in LAYERS:
        share = _cumulative(stats, path, name)
        if share:
            out.write(f"{share / total * 100:5.1f} %  {label}\n")
    for order in ("tottime", "cumulative"):
        out.write(f"\n---- top {top} by {order} ----\n")
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats(order).print_stats(top)
    return out.getvalue()


def importtime_text(path: Path, top: int) -> str:
    rows = []
    for line in path.read_text().splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if not line.startswith("import time:") or len(parts) != 3 or not parts[0].isdigit():
            continue
        own, cumulative, name = parts
        rows.append((int(cumulative), int(own), name))
    rows.sort(reverse=True)
    lines = [f"{'cumulative ms':>13} {'own ms':>8}  module"]
    lines += [f"{c / 1000:13.1f} {o / 1000:8.1f}  {n}" for c, o, n in rows[:top]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a .prof file (or, with --importtime, -X importtime output)")
    parser.add_argument("out", type=Path, help="the text file to write")
    parser.add_argument("--importtime", action="store_true", help="source is the stderr of python -X importtime")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--note", default="", help="a first line: what was run, where, the load")
    args = parser.parse_args()
    text = importtime_text(args.source, args.top) if args.importtime else profile_text(args.source, args.top)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text((args.note + "\n\n" if args.note else "") + text)


if __name__ == "__main__":
    main()
