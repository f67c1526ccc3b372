"""AgentEval: a critic model proposes criteria for a task, then a quantifier grades a result against them.

python examples/agent_eval.py
python examples/agent_eval.py --subcritic --save criteria.json
python examples/agent_eval.py --criteria criteria.json --test-case "The answer is 400."
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from _models import add_model_arguments, llm_config_from

from autogen.agentchat.contrib.agent_eval import Criterion, Task, generate_criteria, quantify_criteria

TASK = Task(
    name="Math problem solving",
    description="Given a math problem, the system answers it with the exact result and a short justification.",
    successful_response="The sum of the squares of 1..10 is 385 (1 + 4 + 9 + ... + 100).",
    failed_response="The sum of the squares of 1..10 is 400.",
)
DEFAULT_TEST_CASE = "Question: the sum of the squares of 1..10. Answer: 385, since n(n+1)(2n+1)/6 = 385."


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criteria", help="read the criteria from this JSON file instead of generating them")
    parser.add_argument("--save", help="write the generated criteria to this JSON file")
    parser.add_argument("--subcritic", action="store_true", help="let a sub-critic add sub-criteria")
    parser.add_argument("--test-case", default=DEFAULT_TEST_CASE, help="the result to grade")
    parser.add_argument("--ground-truth", default="true", help="whether the result is in fact right")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    with llm_config_from(args) as llm_config:
        if llm_config is None:
            return 2
        if args.criteria:
            criteria = Criterion.parse_json_str(Path(args.criteria).read_text(encoding="utf-8"))
        else:
            rounds = 3 if args.subcritic else 2
            try:
                criteria = generate_criteria(llm_config, TASK, max_round=rounds, use_subcritic=args.subcritic)
            except ValueError as err:  # a weak critic model (e.g. --local) answers without the JSON list
                hint = "Use a stronger model, or give the criteria with --criteria FILE."
                print(f"error: {err}\n{hint}", file=sys.stderr)
                return 1
        if args.save:
            Path(args.save).write_text(Criterion.write_json(criteria), encoding="utf-8")
        print("\nCriteria:")
        for criterion in criteria:
            print(f"- {criterion.name}: {criterion.description} {criterion.accepted_values}")
        result = quantify_criteria(llm_config, criteria, TASK, args.test_case, args.ground_truth)
    print("\nEstimated performance:", result["estimated_performance"])
    print("Actual success:", result["actual_success"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
