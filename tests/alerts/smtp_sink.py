"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts.

A message counts once the server has answered 250 to it. `hold` makes the server wait
before that answer, so that a test can kill the sending process while a message is in
flight; if the client is gone when the wait ends (aiosmtpd cancels the handler when the
connection drops), the message was never accepted: the client never heard the 250. The
other case, a server that keeps a message whose 250 the client never saw, is the one
duplicate SMTP cannot rule out (RFC 1047); docs/alerts.md says what covers it.
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    message: Message

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class Sink:
    def __init__(self, port: int | None = None, *, hold: float = 0.0) -> None:
        self.port = port or free_port()
        self.hold = hold
        self.received: list[Received] = []
        self.arrivals = 0  # messages whose data reached the server, accepted or not
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._controller: Controller | None = None

    # -- the aiosmtpd handler ----------------------------------------------------------

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._arrived:
            self.arrivals += 1
            self._arrived.notify_all()
        if self.hold:
            await asyncio.sleep(self.hold)
        if server.transport is None or server.transport.is_closing():
            return "421 client went away"
        parsed = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.received.append(Received(tuple(envelope.rcpt_tos), parsed))
        return "250 OK"

    # -- control -------------------------------------------------------------------------

    def start(self) -> Sink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Sink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_for_arrivals(self, n: int, timeout: float) -> bool:
        with self._arrived:
            return self._arrived.wait_for(lambda: self.arrivals >= n, timeout)

    def wait_for(self, n: int, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.messages()) >= n:
                return True
            time.sleep(0.05)
        return len(self.messages()) >= n
