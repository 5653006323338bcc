"""Cutting a process that runs users' queries off the network: an audit hook, and an empty network namespace.

A module of its own, importing nothing heavy, so a query worker process starts in a fraction of a second.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                             "socket.sendto", "socket.sendmsg", "socket.bind"})


def _refuse_network(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError(f"no network access from a query ({event})")


def forbid_network() -> None:
    """Defence in depth for a process that runs users' queries: Python code in it cannot open network sockets.

    An audit hook refuses connect / name look-ups / bind / sendto (it cannot be removed once added).
    """
    sys.addaudithook(_refuse_network)


def isolate_network() -> bool:
    """Move this (single-threaded) process into its own empty network namespace, where it can be done.

    Oxigraph's SERVICE client is Rust code the audit hook does not see; in an empty network namespace no code
    can reach any address (not even loopback, which is down). Needs unprivileged user namespaces (Linux);
    where they are not available this returns False and the parsed-query refusal of SERVICE is what holds.
    """
    if not sys.platform.startswith("linux") or os.environ.get("GOVKG_NO_NETNS"):
        return False
    import ctypes

    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    uid, gid = os.getuid(), os.getgid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(clone_newuser | clone_newnet) != 0:
            return False
        # Map our own ids onto themselves, so the store's files keep their owner and permissions.
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except (OSError, AttributeError):
        return False
    return True
