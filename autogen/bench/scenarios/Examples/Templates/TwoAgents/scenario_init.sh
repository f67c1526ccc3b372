# Runs before scenario.py, in the run's folder: a place to prepare files the task needs.
mkdir -p coding
