#!/usr/bin/env bash
# Build the `autogen` image from the root Dockerfile, reusing what this machine already has.
# Usage: bash scripts/docker-image.sh [TAG] [BASE]
#   TAG   image name (default autogen:latest)
#   BASE  base image (default: the Dockerfile's, python:3.11-slim; CI passes its local Debian image)
# The llama.cpp wheel pip built for this machine is handed to the build (no second 10-minute compile),
# and the CA bundle of $PIP_CERT/$SSL_CERT_FILE (else the host trust store) is trusted inside the build.
set -euo pipefail
cd "$(dirname "$0")/.."
TAG="${1:-autogen:latest}"
BASE="${2:-}"

rm -f docker-context/wheels/*.whl docker-context/ca-bundle.crt
LLAMA="$(python - <<'PY'
import tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["local"]
print(next(d.split("[")[0] + "==" + d.split("==")[1] for d in deps if d.startswith("llama-cpp-python")))
PY
)"
# from pip's cache when it was built here before; otherwise the Dockerfile compiles it
python -m pip wheel -q --no-deps --no-build-isolation --only-binary=:all: "$LLAMA" -w docker-context/wheels 2>/dev/null \
  || python -m pip wheel -q --no-deps "$LLAMA" -w docker-context/wheels \
  || echo "docker-image: no prebuilt $LLAMA wheel; the build compiles it (~10 min)"
CA="${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"  # the host trust store by default
if [ -n "$CA" ] && [ -s "$CA" ]; then cp "$CA" docker-context/ca-bundle.crt; fi

args=(-t "$TAG")
[ -n "$BASE" ] && args+=(--build-arg "BASE=$BASE")
DOCKER_BUILDKIT=0 docker build -q "${args[@]}" . >/dev/null
echo "docker-image: built $TAG${BASE:+ from $BASE}"
