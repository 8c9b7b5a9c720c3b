"""Is a port free? `python3 deploy/ports.py NAME=PORT ...` exits 1 naming, for each port already taken on
127.0.0.1, what `make run` wanted it for and the process holding it (pid and command line), so a second
`make run` refuses to start instead of sending its traffic to someone else's services. Standard library only."""

import os
import socket
import sys
from pathlib import Path


def is_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port (or on every address) and we could bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers do: a port whose old connections linger in TIME_WAIT is free to listen on again.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(inode)
    return inodes


def holder(port: int) -> str:
    """`pid 1234: python -m inbox` for the process listening on the port, as far as /proc lets us see."""
    inodes = _listening_inodes(port)
    if not inodes:
        return "a process this user cannot see"
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                return f"pid {pid}: {cmdline.strip()[:200]}"
    return "a process of another user"


def main(argv: list[str]) -> int:
    taken = []
    for item in argv:
        name, _, port = item.partition("=")
        if not port.isdigit():
            print(f"usage: ports.py NAME=PORT ... (got {item!r})", file=sys.stderr)
            return 2
        if not is_free(int(port)):
            taken.append(f"  port {port} (for {name}) is already taken by {holder(int(port))}")
    if taken:
        print("Cannot start: ports this run needs are in use:", *taken, sep="\n", file=sys.stderr)
        print("Stop that process (another `make run`?), or move this run with the port variables "
              "(see deploy/run.sh).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
