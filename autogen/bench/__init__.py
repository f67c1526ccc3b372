"""``autogen bench``: run AutoGenBench-format scenarios many times from a blank slate, then tabulate them.

- :mod:`~autogen.bench.tasks` reads task files, :mod:`~autogen.bench.expand` builds a run's folder,
  :mod:`~autogen.bench.sandbox` starts it (Docker or native), :func:`~autogen.bench.execute.execute_run`
  performs one run (what the batch backend maps over), :mod:`~autogen.bench.runner` plans and drives a batch.
- :mod:`~autogen.bench.record` and :mod:`~autogen.bench.tabulate` read finished runs;
  :mod:`~autogen.bench.clone` copies the scenarios shipped in ``autogen/bench/scenarios``.

Importing this package imports none of them; see ``docs/bench.md``.
"""
