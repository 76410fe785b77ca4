"""Tiny TCP prober run inside a namespace (no third-party imports).

    python tcp_probe.py listen PORT [PORT ...]       # prints "ready", serves until killed
    python tcp_probe.py connect TIMEOUT IP:PORT[/DSCP] ...  # prints {"IP:PORT": "ok"|"timeout"|"refused"|...}

``connect`` tries all targets at once with non-blocking sockets, so one call
costs one timeout at most. ``/DSCP`` marks the connection's packets with that
DSCP code point (the network tests' one-direction probes, see sg_nft).
"""

from __future__ import annotations

import errno
import json
import selectors
import socket
import sys
import time


def listen(ports: list[int]) -> None:
    sel = selectors.DefaultSelector()
    for port in ports:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("0.0.0.0", port))
        server.listen(64)
        sel.register(server, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            conn.close()


def connect(timeout: float, targets: list[str]) -> dict[str, str]:
    sel = selectors.DefaultSelector()
    result: dict[str, str] = {}
    for target in targets:
        address, _, dscp = target.partition("/")
        host, port = address.rsplit(":", 1)
        sock = socket.socket()
        sock.setblocking(False)
        if dscp:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, int(dscp) << 2)
        code = sock.connect_ex((host, int(port)))
        if code in (0, errno.EINPROGRESS):
            sel.register(sock, selectors.EVENT_WRITE, target)
        else:
            result[target] = errno.errorcode.get(code, str(code))
            sock.close()
    deadline = time.monotonic() + timeout
    while len(result) < len(targets) and (left := deadline - time.monotonic()) > 0:
        for key, _ in sel.select(left):
            code = key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            outcome = {0: "ok", errno.ECONNREFUSED: "refused"}
            result[key.data] = outcome.get(code, errno.errorcode.get(code, str(code)))
            sel.unregister(key.fileobj)
            key.fileobj.close()
    for target in targets:
        result.setdefault(target, "timeout")
    return result


if __name__ == "__main__":
    if sys.argv[1] == "listen":
        listen([int(p) for p in sys.argv[2:]])
    else:
        print(json.dumps(connect(float(sys.argv[2]), sys.argv[3:])))
