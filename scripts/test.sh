#!/usr/bin/env bash
# Install everything the test suite needs, start its services, and run it.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}"  # llama.cpp builds ~5 min faster without LLaVA
python -m pip install -q --disable-pip-version-check -e ".[test,local]"
bash scripts/services.sh
python -m ruff check autogen tests bench
python -m ruff format --check --quiet autogen tests bench
python -m mypy autogen
python -m pytest "$@"
