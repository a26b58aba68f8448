"""A stand-in for the GOV.UK Notify API on loopback: the two endpoints the alerts use,
with the client's real JWT checked on every request.

Failure modes a test can switch on:
- `fail_with`: answer the next POSTs with this status (500: try again; 400: refused);
- `drop_after_accept`: keep the next notification, then close the connection without an
  answer, as if the reply were lost (the case a reference check exists for).
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "7a1f7a3e-7f3a-4c0e-9a4e-3f6f0b6f2c11"
SECRET = "0b9f1f65-0d8c-4a35-9a55-6a2bb0d3e8a2"
API_KEY = f"legaltracker_test-{SERVICE_ID}-{SECRET}"


class NotifyStub:
    def __init__(self) -> None:
        self.notifications: list[dict] = []
        self.posts = 0
        self.gets = 0
        self.fail_with: list[int] = []
        self.drop_after_accept = 0
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                try:
                    claims = jwt.decode(
                        header.removeprefix("Bearer "), SECRET, algorithms=["HS256"]
                    )
                except jwt.PyJWTError:
                    return False
                return claims.get("iss") == SERVICE_ID

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if not self._authorised():
                    return self._reply(403, {"errors": [{"error": "AuthError"}]})
                url = urlparse(self.path)
                if url.path != "/v2/notifications":
                    return self._reply(404, {"errors": [{"error": "NotFound"}]})
                reference = parse_qs(url.query).get("reference", [None])[0]
                with stub._lock:
                    stub.gets += 1
                    found = [n for n in stub.notifications if n["reference"] == reference]
                return self._reply(200, {"notifications": found, "links": {}})

            def do_POST(self) -> None:
                if not self._authorised():
                    return self._reply(403, {"errors": [{"error": "AuthError"}]})
                if self.path != "/v2/notifications/email":
                    return self._reply(404, {"errors": [{"error": "NotFound"}]})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with stub._lock:
                    stub.posts += 1
                    fail = stub.fail_with.pop(0) if stub.fail_with else None
                    if fail is None:
                        notification = {
                            "id": str(uuid.uuid4()),
                            "reference": body.get("reference"),
                            "email_address": body["email_address"],
                            "template_id": body["template_id"],
                            "personalisation": body.get("personalisation", {}),
                            "status": "created",
                        }
                        stub.notifications.append(notification)
                    drop = fail is None and stub.drop_after_accept > 0
                    if drop:
                        stub.drop_after_accept -= 1
                if fail is not None:
                    return self._reply(fail, {"errors": [{"error": "StubError"}]})
                if drop:
                    self.close_connection = True
                    self.connection.close()
                    return None
                return self._reply(
                    201,
                    {"id": notification["id"], "reference": notification["reference"]},
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NotifyStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
