"""Config tuning (``autogen bench tune``): search models, temperature, max_tokens, ``n`` and prompt templates
for the best success under a budget, scoring each configuration by running benchmark tasks.

Modules: :mod:`.space` (the YAML search space), :mod:`.evaluate` (running the tasks with one
configuration), :mod:`.search` (the Optuna search under the budget, the Pareto front), :mod:`.report`
(the table and the best-config file), :mod:`.cli` (the command). Nothing is imported here, so building
the ``autogen`` command's parser stays cheap.

The optimiser is Optuna: its study loop lets a callback stop the search the moment the measured spend
reaches the budget, and its samplers are seeded (reproducible searches).
"""
