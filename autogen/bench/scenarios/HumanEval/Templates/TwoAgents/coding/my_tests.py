# The task's unit tests (HumanEval's `check` function) are substituted below.
# ruff: noqa

__TEST__


def run_tests(candidate):
    try:
        check(candidate)
        # tabulation searches the console log for this marker
        print("ALL TESTS PASSED !#!#\nTERMINATE")
    except Exception:
        print("SOME TESTS FAILED - TRY AGAIN !#!#")
