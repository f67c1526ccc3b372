#!/usr/bin/env bash
# Build a minimal Debian image with python3 for the Docker code executor, with no image
# registry: debootstrap a root filesystem from the configured Debian mirror, then
# `docker import` it. Usage: bash scripts/build-docker-image.sh [NAME:TAG]  (~2 minutes;
# default NAME:TAG is $AUTOGEN_DOCKER_IMAGE or autogen-python:bookworm, the image the executors use)
set -euo pipefail
IMAGE="${1:-${AUTOGEN_DOCKER_IMAGE:-autogen-python:bookworm}}"
MIRROR="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
ROOTFS="$(mktemp -d /tmp/autogen-rootfs.XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT
echo "build-docker-image: debootstrap bookworm from $MIRROR"
debootstrap --variant=minbase --include=python3 bookworm "$ROOTFS" "$MIRROR" >/tmp/autogen-debootstrap.log 2>&1 \
  || { tail -20 /tmp/autogen-debootstrap.log; exit 1; }
tar -C "$ROOTFS" -c . | docker import - "$IMAGE" >/dev/null
echo "build-docker-image: built $IMAGE"
