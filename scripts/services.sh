#!/usr/bin/env bash
# Install and start the real services the test suite uses: Redis, Docker (with a local
# Python image built without a registry), bubblewrap (the sandbox without Docker), chromium (the Studio's browser tests) and the Jupyter kernelspec. Idempotent; needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${AUTOGEN_DOCKER_IMAGE:-autogen-python:bookworm}"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v tmux >/dev/null || need+=(tmux)
command -v bwrap >/dev/null || need+=(bubblewrap)  # SandboxedCommandLineCodeExecutor
[ -x /usr/bin/chromium ] || need+=(chromium)  # the Studio's browser tests (Playwright drives it)
if [ ${#need[@]} -gt 0 ]; then
  echo "services: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting redis-server on 127.0.0.1:6379"
  redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

if ! docker info >/dev/null 2>&1; then
  echo "services: starting dockerd"
  mkdir -p /tmp/autogen-services
  (dockerd >/tmp/autogen-services/dockerd.log 2>&1 &)
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "services: dockerd did not start"; tail -20 /tmp/autogen-services/dockerd.log; exit 1; }
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  bash scripts/build-docker-image.sh "$IMAGE"
fi

# The Jupyter executors start the `python3` kernel of this interpreter.
python -c "from jupyter_client.kernelspec import KernelSpecManager as K; assert 'python3' in K().find_kernel_specs()" 2>/dev/null \
  || python -m ipykernel install --user --name python3 >/dev/null
