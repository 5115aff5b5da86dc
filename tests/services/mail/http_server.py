"""A real HTTP and HTTPS server on 127.0.0.1 standing in for providers' web
servers in the autoconfig tests.

One server plays several web hosts: the first path segment is the host
name the client meant (``/autoconfig.example.edu/mail/config-v1.1.xml``),
because those names cannot be resolved here. ``urls_for(hosts)`` builds the
``Where.autoconfig_urls`` a test passes to ``discover``: each public URL
(``https://autoconfig.<domain>/…``) becomes one on these servers, and a host
a test does not list becomes a closed loopback port (a host that does not
exist or does not answer). The HTTPS server's certificate comes from a
``trustme`` CA that the client is given through ``Where.ca_file``; TLS to a
provider's real host is not exercised here.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import trustme

from desktop.services.mail.discovery import Source, public_autoconfig_urls

from .smtp_server import free_port


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requests.append(path)
        delay = self.server.delays.get(path, 0.0)
        if delay:
            time.sleep(delay)
        body = self.server.files.get(path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may stop reading (a body over its limit).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, bytes]
    delays: dict[str, float]
    requests: list[str]


class WebTestServer:
    """``files`` maps "/<host>/<path>" to the body served; others are 404."""

    def __init__(self, cert: trustme.LeafCert | None = None) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.files, self.httpd.delays, self.httpd.requests = {}, {}, []
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(context)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if cert is not None else "http"
        self.base = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def files(self) -> dict[str, bytes]:
        return self.httpd.files

    @property
    def delays(self) -> dict[str, float]:
        return self.httpd.delays

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def start(self) -> WebTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def urls_for(
    https: WebTestServer, http: WebTestServer, hosts: set[str]
) -> Callable[[str], list[tuple[Source, str]]]:
    """The real URL list, each URL moved to the test server of its scheme
    when its host is in ``hosts``, else to a closed port."""
    closed = free_port()

    def urls(domain: str) -> list[tuple[Source, str]]:
        moved: list[tuple[Source, str]] = []
        for source, url in public_autoconfig_urls(domain):
            parts = urlsplit(url)
            server = https if parts.scheme == "https" else http
            if parts.hostname in hosts:
                moved.append((source, f"{server.base}/{parts.hostname}{parts.path}"))
            else:
                moved.append((source, f"{parts.scheme}://127.0.0.1:{closed}{parts.path}"))
        return moved

    return urls
