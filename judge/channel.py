"""Host side of the runner protocol (see ``runner_in_container``): JSON header lines + raw payloads.

Two transports: a ``docker exec`` hijacked socket (stdout/stderr arrive multiplexed in 8-byte-header frames, stdin is
raw) and a pair of pipes (bubblewrap). Any I/O failure or timeout raises ``ChannelError``: an infrastructure fault.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import subprocess
import time
from typing import Any


class ChannelError(RuntimeError):
    """The runner channel broke or timed out (infrastructure, never the program's doing)."""


class Channel:
    """Message framing over a byte transport; subclasses provide ``_write`` and ``_read_some``."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.stderr_tail = bytearray()

    def _write(self, data: bytes) -> None:
        raise NotImplementedError

    def _read_some(self, deadline: float) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        """Release the transport (the runner sees EOF and exits)."""

    def send(self, head: dict[str, Any], payload: bytes = b"") -> None:
        """Send one message."""
        if payload:
            head = {**head, "len": len(payload)}
        self._write(json.dumps(head).encode() + b"\n" + payload)

    def _fill(self, n: int, deadline: float) -> None:
        while len(self._buf) < n:
            chunk = self._read_some(deadline)
            if not chunk:
                raise ChannelError(f"runner closed the channel; its stderr: {self.stderr_tail[-500:]!r}")
            self._buf += chunk

    def recv(self, timeout: float) -> tuple[dict[str, Any], bytes]:
        """Receive one message within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            chunk = self._read_some(deadline)
            if not chunk:
                raise ChannelError(f"runner closed the channel; its stderr: {self.stderr_tail[-500:]!r}")
            self._buf += chunk
            if len(self._buf) > 1 << 20 and b"\n" not in self._buf:
                raise ChannelError("protocol error: header line too long")
        nl = self._buf.index(b"\n")
        try:
            head = json.loads(bytes(self._buf[:nl]))
        except ValueError as e:
            raise ChannelError(f"protocol error: bad header {bytes(self._buf[:200])!r}") from e
        del self._buf[: nl + 1]
        n = int(head.get("len", 0))
        self._fill(n, deadline)
        payload = bytes(self._buf[:n])
        del self._buf[:n]
        if head.get("op") == "error":
            raise ChannelError(f"runner error: {head.get('error')}")
        return head, payload


class DockerExecChannel(Channel):
    """The runner started with ``docker exec`` (stdin attached); demultiplexes the exec stream."""

    def __init__(self, api: Any, container_id: str, cmd: list[str]) -> None:
        super().__init__()
        self.api = api
        try:
            self.exec_id = api.exec_create(container_id, cmd, stdin=True, stdout=True, stderr=True, tty=False,
                                           user="0", workdir="/", environment={"PATH": "/usr/bin:/bin"})["Id"]
            sio = api.exec_start(self.exec_id, socket=True)
        except Exception as e:
            raise ChannelError(f"docker exec failed: {e}") from e
        self._sio = sio  # keeps the HTTP response (and so the connection) alive
        self.sock: socket.socket = getattr(sio, "_sock", sio)
        self.sock.setblocking(True)
        self._raw = bytearray()

    def _write(self, data: bytes) -> None:
        try:
            self.sock.settimeout(60)
            self.sock.sendall(data)
        except OSError as e:
            raise ChannelError(f"write to runner failed: {e}") from e

    def _read_some(self, deadline: float) -> bytes:
        # Return the next chunk of the runner's *stdout*; stderr frames go to stderr_tail.
        while True:
            while len(self._raw) >= 8:
                kind, size = self._raw[0], struct.unpack(">I", self._raw[4:8])[0]
                if len(self._raw) < 8 + size:
                    break
                data = bytes(self._raw[8: 8 + size])
                del self._raw[: 8 + size]
                if kind == 1:
                    return data
                self.stderr_tail += data
                del self.stderr_tail[:-4096]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelError("timed out waiting for the runner")
            try:
                self.sock.settimeout(remaining)
                chunk = self.sock.recv(1 << 20)
            except TimeoutError as e:
                raise ChannelError("timed out waiting for the runner") from e
            except OSError as e:
                raise ChannelError(f"read from runner failed: {e}") from e
            if not chunk:
                return b""
            self._raw += chunk

    def close(self) -> None:
        """Shut the socket down (waking a reader blocked in another thread), then close it."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        for f in (self.sock.close, self._sio.close):
            try:
                f()
            except Exception:
                pass


class PipeChannel(Channel):
    """The runner as a local subprocess (bubblewrap or a plain child) talking over its stdin/stdout."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        super().__init__()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         env=env, start_new_session=True)
        except OSError as e:
            raise ChannelError(f"cannot start the runner: {e}") from e

    def _write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except OSError as e:
            raise ChannelError(f"write to runner failed: {e}") from e

    def _read_some(self, deadline: float) -> bytes:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        out, err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelError("timed out waiting for the runner")
            ready, _, _ = select.select([out, err], [], [], remaining)
            if err in ready:
                import os

                data = os.read(err, 65536)
                self.stderr_tail += data
                del self.stderr_tail[:-4096]
                if not data and out not in ready:
                    continue
            if out in ready:
                import os

                return os.read(out, 1 << 20)

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            import os
            import signal

            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()


def handshake(ch: Any) -> Any:
    """Greet a freshly started runner; close the channel and raise ChannelError if it does not answer in kind."""
    try:
        ch.send({"op": "hello"})
        head, _ = ch.recv(timeout=30)
        if head.get("op") != "hello":
            raise ChannelError(f"unexpected runner greeting {head!r}")
    except ChannelError:
        ch.close()
        raise
    return ch
