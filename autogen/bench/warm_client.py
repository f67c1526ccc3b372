"""Stand-in for ``python SCRIPT`` in a ``--warm-start`` run: hands the script to the warm interpreter.

Run as ``python -S -E warm_client.py SCRIPT [ARGS]`` (standard library only, so it starts in a few ms).
It passes its working folder, arguments, environment and standard streams to the server named by
``$AUTOGEN_BENCH_WARM``, which forks a process that runs SCRIPT; it exits with that process's exit
code. If this process is killed (``timeout``, Ctrl-C), the forked process notices and kills itself.
"""

import array
import json
import os
import socket
import struct
import sys


def main() -> int:
    payload = json.dumps(
        {"cwd": os.getcwd(), "argv": sys.argv[1:], "env": dict(os.environ), "pid": os.getpid()}
    ).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(os.environ["AUTOGEN_BENCH_WARM"])
        fds = array.array("i", [0, 1, 2])
        conn.sendmsg([struct.pack("!I", len(payload))], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
        conn.sendall(payload)
        data = b""
        while len(data) < 4:
            chunk = conn.recv(4 - len(data))
            if not chunk:
                return 137  # the run's process died without reporting
            data += chunk
    return int(struct.unpack("!i", data)[0])


if __name__ == "__main__":
    sys.exit(main())
