"""A PostgreSQL cluster and a Redis server of the tests' own, on loopback ports, that
the fault tests stop and start (the machine's shared services are never touched)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import skip_or_fail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, what: str, timeout: float = 60, every: float = 0.25):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception as error:  # noqa: BLE001 (not up yet)
            last_error = error
        time.sleep(every)
    raise AssertionError(f"waited {timeout} s for {what} (last error: {last_error!r})")


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the postgres account.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class OwnPostgres:
    def __init__(self, bindir: Path, root: Path, port: int):
        self.bindir = bindir
        self.root = root
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/scrutiny"

    @classmethod
    def launch(cls) -> "OwnPostgres":
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            skip_or_fail("PostgreSQL's server programs are not installed")
        root = Path(tempfile.mkdtemp(prefix="scrutiny-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        server = cls(Path(found[-1]).parent, root, free_port())
        subprocess.run(
            _as_postgres(
                [
                    str(server.bindir / "initdb"),
                    "-D",
                    str(root / "data"),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        server.start()
        subprocess.run(
            [
                str(server.bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(server.port),
                "-U",
                "postgres",
                "scrutiny",
            ],
            check=True,
        )
        return server

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-l",
                    str(self.root / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, *, remove: bool = False):
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ]
            ),
            capture_output=True,
        )
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)


class OwnRedis:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    @classmethod
    def launch(cls) -> "OwnRedis":
        if not shutil.which("redis-server"):
            skip_or_fail("redis-server is not installed")
        server = cls(free_port())
        server.start()
        return server

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, what="redis-server")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
