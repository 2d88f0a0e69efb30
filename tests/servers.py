"""Real servers the scale-out tests start on loopback: Redis (Debian's redis-server).

Each runs in a process group of its own, on a free port (scripts/free_port.py), and is
stopped by the test that started it; ``stop()`` and ``start()`` again keep the port, so a
test can take Redis away and bring it back.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from scripts.free_port import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


class RedisServer:
    """redis-server on 127.0.0.1:<free port>, nothing on disk (``--save "" --appendonly no``)."""

    def __init__(self, run_dir: Path):
        self.port = free_port()
        self.run_dir = run_dir / f"redis-{self.port}"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.run_dir.mkdir(parents=True, exist_ok=True)
        command = [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.run_dir), "--daemonize", "no", "--loglevel", "warning"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)
