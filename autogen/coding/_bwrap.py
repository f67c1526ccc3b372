"""The bubblewrap sandbox: the ``bwrap`` command line that confines one program, without Docker.

What the program sees (the mount policy, an allow-list):

- read-only: ``/usr`` and the merged-usr links (``/bin``, ``/lib``, ...); ``/etc`` minus every entry
  that is not world-readable (``/etc/shadow``, private keys, ...); the installation of the
  interpreter (a pyenv, conda or venv prefix); paths the caller names;
- writable: the work dir (at the same path as on the host), a private size-limited ``/tmp`` and
  ``/dev/shm``;
- a fresh ``/proc`` (only the sandbox's processes) and a minimal ``/dev``;
- nothing else: no ``/home`` or ``/root``, no ``/run`` or ``/var`` (no Docker, D-Bus or other
  sockets), no ``/mnt``, ``/media``, ``/opt``, ``/srv`` or ``/sys``.

Namespaces: user (the code runs as an unprivileged uid mapped to the caller, with no capabilities,
and cannot create further user namespaces), pid (``--die-with-parent``; when the program exits,
every process left in the sandbox is killed), net (loopback only), ipc, uts and cgroup.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from ._limits import UNPRIVILEGED_UID

__all__ = [
    "INSTALL_HINT",
    "SandboxPolicy",
    "SandboxUnavailableError",
    "require_bwrap",
    "sandbox_argv",
    "sandbox_env",
    "sandbox_problem",
    "sandboxed_command",
]

INSTALL_HINT = "install bubblewrap (`apt-get install bubblewrap` on Debian/Ubuntu, `dnf install bubblewrap` on Fedora)"

DEFAULT_TMP_SIZE_BYTES = 256 * 1024**2

_SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_HIDDEN_ROOTS = ("/", "/home", "/root", "/etc", "/proc", "/dev", "/sys", "/run", "/var", *_SYSTEM_PATHS)
_STANDARD_PATH = "/usr/local/bin:/usr/bin:/bin"
_PROBE_TIMEOUT = 20.0


class SandboxUnavailableError(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; the message says how to fix it."""


def _bwrap_executable() -> Optional[str]:
    return os.environ.get("AUTOGEN_BWRAP") or shutil.which("bwrap")


@functools.lru_cache(maxsize=8)
def _features(bwrap: str) -> FrozenSet[str]:
    """The options of this bwrap that are newer than 0.4 (``--disable-userns``, ``--size``)."""
    try:
        text = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=_PROBE_TIMEOUT).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(option for option in ("--disable-userns", "--size") if option in text)


def _namespace_args(bwrap: str) -> List[str]:
    uid = os.getuid() or UNPRIVILEGED_UID
    gid = os.getgid() or UNPRIVILEGED_UID
    args = ["--unshare-user", "--uid", str(uid), "--gid", str(gid)]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if "--disable-userns" in _features(bwrap):
        args.append("--disable-userns")
    return [*args, "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox"]


def _system_args() -> List[str]:
    """``/usr`` and friends read-only (symbolic links such as ``/bin -> usr/bin`` kept as links)."""
    args: List[str] = []
    for path in _SYSTEM_PATHS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def _etc_args() -> List[str]:
    """``/etc`` read-only, with every entry others may not read hidden (walked on each run: ~10 ms)."""
    args = ["--ro-bind", "/etc", "/etc"]
    todo = ["/etc"]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():  # known from the directory listing: no stat (half of /etc is links)
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue
            if stat.S_ISDIR(mode):
                if mode & 0o005 == 0o005:
                    todo.append(entry.path)
                else:
                    args += ["--tmpfs", entry.path, "--remount-ro", entry.path]
            elif not mode & 0o004:
                args += ["--ro-bind", "/dev/null", entry.path]  # mounted nodev: opening it fails
    return args


def _covers(parent: Path, child: Path) -> bool:
    return child == parent or parent in child.parents


def _too_broad(path: Path) -> bool:
    """Whether showing ``path`` would show a home directory or the whole system."""
    homes = [Path.home(), Path("/root"), Path("/home")]
    return path == Path("/") or path.parent == Path("/home") or any(_covers(path, home) for home in homes)


def _is_system(path: Path) -> bool:
    return any(_covers(Path(root), path) for root in _SYSTEM_PATHS)


def _venv_homes(config: Path) -> List[str]:
    try:
        lines = config.read_text().splitlines()
    except OSError:
        return []
    found = [line.split("=", 1)[1].strip() for line in lines if line.split("=", 1)[0].strip() == "home"]
    return [os.path.realpath(home) for home in found if home]


def install_roots(executable: str) -> List[Path]:
    """The directories to show read-only so that ``executable`` runs: its installation prefix.

    ``.../bin/python3`` → ``...`` (for the path as given when it is a venv, and resolved). A prefix
    that would expose a home directory is narrowed to the executable's directory, or the file.
    """
    given = Path(os.path.abspath(executable))
    real = Path(os.path.realpath(executable))
    candidates = [real]
    venv_config = given.parent.parent / "pyvenv.cfg"
    if venv_config.exists():  # a venv: itself, and the Python it was made from (its standard library)
        candidates.insert(0, given)
        candidates += [Path(home) / "python" for home in _venv_homes(venv_config)]
    roots: List[Path] = []
    for path in candidates:
        prefix = path.parent.parent if path.parent.name == "bin" else path.parent
        for root in (prefix, path.parent, path):
            if not _too_broad(root):
                if not _is_system(root):
                    roots.append(root)
                break
    return roots


def check_work_dir(work_dir: Path) -> None:
    """Refuse a work dir whose contents the code must not write (the system, a whole home directory).

    Raises:
        ValueError: naming the directory and the fix.
    """
    inside_system = any(_covers(Path(root), work_dir) for root in (*_SYSTEM_PATHS, "/etc", "/proc", "/dev", "/sys"))
    shows_hidden = any(_covers(work_dir, Path(root)) for root in _HIDDEN_ROOTS)
    if not (inside_system or shows_hidden or _too_broad(work_dir)):
        return
    raise ValueError(
        f"work_dir {str(work_dir)!r} cannot be the sandbox's writable directory: it is or contains a system "
        "or home directory the code must not write. Use a dedicated directory, e.g. work_dir='coding'."
    )


@dataclass(frozen=True)
class SandboxPolicy:
    """What one sandboxed run may see and write.

    Attributes:
        work_dir: the only writable host directory (absolute; shown at the same path).
        read_only_paths: host paths shown read-only besides the system (absolute).
        tmp_size_bytes: size of the private ``/tmp`` and ``/dev/shm``.
    """

    work_dir: Path
    read_only_paths: Tuple[Path, ...] = ()
    tmp_size_bytes: int = DEFAULT_TMP_SIZE_BYTES


def sandbox_argv(
    bwrap: str, policy: SandboxPolicy, program: Sequence[str], interpreters: Sequence[str] = ()
) -> List[str]:
    """The command that runs ``program`` inside the sandbox ``policy`` describes.

    Args:
        bwrap: the bubblewrap executable (:func:`require_bwrap`).
        policy: the mounts.
        program: the command to run; its executable's installation is shown read-only.
        interpreters: more executables whose installations the code needs (e.g. the Python of
            the executor, for shell blocks that call ``python``).
    """
    size = ["--size", str(policy.tmp_size_bytes)] if "--size" in _features(bwrap) else []
    args = [bwrap, *_namespace_args(bwrap), *_system_args(), *_etc_args()]
    args += ["--dev", "/dev", "--proc", "/proc", *size, "--tmpfs", "/tmp", *size, "--tmpfs", "/dev/shm"]
    args += ["--remount-ro", "/dev"]  # bwrap's /dev is a tmpfs: only /dev/shm takes files
    shown: List[Path] = []
    executables = [shutil.which(program[0]) or program[0], *interpreters]
    for path in [*(root for exe in executables for root in install_roots(exe)), *policy.read_only_paths]:
        if path.exists() and not any(_covers(done, path) for done in shown):
            shown.append(path)
            args += ["--ro-bind", str(path), str(path)]
    work = str(policy.work_dir)
    # the root is bwrap's own tmpfs too: read-only, so only /tmp, /dev/shm and the work dir take files
    return [*args, "--bind", work, work, "--remount-ro", "/", "--chdir", work, "--", *program]


def sandbox_env(env: Mapping[str, str], work_dir: Path, interpreter: str) -> Dict[str, str]:
    """``env`` for the sandbox: ``HOME`` is the work dir, ``TMPDIR`` the private ``/tmp``, and
    ``PATH`` starts with the interpreter's directory and has the standard system directories."""
    result = dict(env)
    path = [os.path.dirname(os.path.abspath(interpreter)), *result.get("PATH", "").split(os.pathsep)]
    path += _STANDARD_PATH.split(":")
    result["PATH"] = os.pathsep.join(dict.fromkeys(part for part in path if part))
    result["HOME"] = str(work_dir)
    result["TMPDIR"] = "/tmp"
    return result


def sandboxed_command(
    command: Sequence[str], env: Mapping[str, str], work_dir: Path
) -> Tuple[List[str], Dict[str, str]]:
    """``command`` and ``env`` for the default sandbox around ``work_dir`` (Python: this interpreter).

    Raises:
        SandboxUnavailableError: when bubblewrap cannot run here.
        ValueError: when ``work_dir`` cannot be the sandbox's writable directory.
    """
    work = work_dir.resolve()
    check_work_dir(work)
    argv = sandbox_argv(require_bwrap(), SandboxPolicy(work), command, [sys.executable])
    return argv, sandbox_env(env, work, sys.executable)


@functools.lru_cache(maxsize=8)
def _probe(bwrap: str) -> Optional[str]:
    """None when ``bwrap`` can create our sandbox here (with the very options blocks get), else what it said."""
    with tempfile.TemporaryDirectory(prefix="autogen-sandbox-probe-") as work:
        argv = sandbox_argv(bwrap, SandboxPolicy(Path(work).resolve()), ["true"])
        try:
            result = subprocess.run(
                argv, capture_output=True, text=True, timeout=_PROBE_TIMEOUT, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
    return None


def sandbox_problem() -> Optional[str]:
    """Why the sandbox cannot run here, with the fix; None when it can (checked once per process)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (bubblewrap uses its namespaces), not {sys.platform}: use Docker here."
    bwrap = _bwrap_executable()
    if bwrap is None:
        return f"the sandbox needs bubblewrap, and `bwrap` was not found on PATH: {INSTALL_HINT}."
    if not (os.path.isfile(bwrap) and os.access(bwrap, os.X_OK)):
        return f"AUTOGEN_BWRAP={bwrap!r} is not an executable file: point it to bwrap or unset it; {INSTALL_HINT}."
    error = _probe(bwrap)
    if error is None:
        return None
    return (
        f"bubblewrap ({bwrap}) cannot create a sandbox here: {error}. User namespaces may be disabled: enable them "
        "(`sysctl -w kernel.unprivileged_userns_clone=1`; on Ubuntu 24.04+ also "
        f"`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`), or {INSTALL_HINT} if it is missing."
    )


def require_bwrap() -> str:
    """The bubblewrap executable, checked to work here.

    Raises:
        SandboxUnavailableError: bwrap is missing or cannot create a sandbox (naming the fix).
    """
    problem = sandbox_problem()
    bwrap = _bwrap_executable()
    if problem is not None or bwrap is None:
        raise SandboxUnavailableError(problem[0].upper() + problem[1:] if problem else INSTALL_HINT)
    return bwrap
