"""Print a free TCP port on 127.0.0.1 below the ephemeral range (for a server to bind next).

Ports the kernel hands out for outgoing connections (32768-60999 on Linux) can be taken
between our check and the server's bind; below that range only servers bind.
"""

import random
import socket


def free_port(low: int = 20000, high: int = 32767) -> int:
    for port in random.sample(range(low, high + 1), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port found between {low} and {high}")


if __name__ == "__main__":
    print(free_port())
