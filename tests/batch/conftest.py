"""One real local Ray instance (2 CPUs) for every batch test that needs it (``ray.init`` takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import ray

from autogen.batch import Backend, get_backend


@pytest.fixture(scope="package")
def ray_backend() -> Iterator[Backend]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    backend = get_backend("ray")
    yield backend
    backend.close()  # it found Ray running, so it leaves it alone
    assert ray.is_initialized()
    ray.shutdown()
