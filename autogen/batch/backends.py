"""The batch backends by name: ``get_backend("local")`` or ``get_backend("ray", address=...)``."""

from __future__ import annotations

from ._backend import Backend

__all__ = ["BACKEND_NAMES", "get_backend"]

BACKEND_NAMES = ("local", "ray")


def get_backend(name: str = "local", *, address: str | None = None) -> Backend:
    """The backend called ``name``: ``"local"`` (threads of this process) or ``"ray"`` (a Ray cluster).

    ``address`` is for Ray only: ``None`` starts a local Ray instance, ``"auto"`` joins the cluster this
    machine belongs to, ``"ray://HOST:PORT"`` connects through Ray Client.
    """
    if name == "local":
        if address is not None:
            raise ValueError(f"address={address!r} is only for the 'ray' backend; drop it or use backend='ray'")
        from .local import LocalBackend

        return LocalBackend()
    if name == "ray":
        from .ray_backend import RayBackend

        return RayBackend(address=address)
    raise ValueError(f"unknown batch backend {name!r}; choose one of: {', '.join(BACKEND_NAMES)}")
