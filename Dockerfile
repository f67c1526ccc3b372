# autogen in a container: the library, the `autogen` command and the embedded local model,
# run as an unprivileged user.
#
#   docker build -t autogen .
#   docker run -it --rm -e OAI_CONFIG_LIST autogen autogen demo
#
# BASE is any Debian-based image with Python 3.9+: the official slim image by default; CI passes
# the Debian image it builds itself (scripts/build-docker-image.sh), which has no pip or venv yet.
# Prebuilt wheels placed in docker-context/wheels/ are used first (scripts/docker-image.sh puts the
# llama.cpp wheel there so the image does not compile it again); a CA bundle in
# docker-context/ca-bundle.crt is trusted for downloads (for networks behind a TLS-inspecting proxy).
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
ENV DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY docker-context/ /opt/autogen-build/
# venv support where the base lacks it; a compiler only when llama.cpp must be built from source
RUN set -eu; pkgs=""; \
    python3 -c "import ensurepip, venv" 2>/dev/null || pkgs="python3-venv"; \
    ls /opt/autogen-build/wheels/llama_cpp_python-*.whl >/dev/null 2>&1 || pkgs="$pkgs build-essential cmake"; \
    if [ -n "$pkgs" ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs >/dev/null \
      && rm -rf /var/lib/apt/lists/*; fi; \
    python3 -m venv /opt/autogen
COPY pyproject.toml README.md /src/
COPY autogen/ /src/autogen/
RUN set -eu; \
    if [ -s /opt/autogen-build/ca-bundle.crt ]; then export PIP_CERT=/opt/autogen-build/ca-bundle.crt; fi; \
    CMAKE_ARGS="-DLLAVA_BUILD=OFF" /opt/autogen/bin/pip install -q --find-links /opt/autogen-build/wheels "/src[local]"

FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
# llama.cpp needs the OpenMP and C++ runtimes
RUN set -eu; \
    if ! ldconfig -p | grep -q libgomp.so.1 || ! ldconfig -p | grep -q libstdc++.so.6; then \
      apt-get update -qq && apt-get install -y -qq --no-install-recommends libgomp1 libstdc++6 >/dev/null \
      && rm -rf /var/lib/apt/lists/*; fi; \
    useradd --create-home --uid 1000 --shell /bin/bash autogen
COPY --from=build /opt/autogen /opt/autogen
ENV PATH=/opt/autogen/bin:$PATH PYTHONUNBUFFERED=1
USER autogen
WORKDIR /home/autogen
CMD ["autogen", "--help"]
