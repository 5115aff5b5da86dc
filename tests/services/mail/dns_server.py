"""A real DNS server on 127.0.0.1 for the discovery tests.

It answers UDP queries from a zone given as a dict, built and parsed with
dnspython's own wire format (``dns.message``), so the client under test
reads real DNS packets from a real socket:

    zone = {"example.edu": {"MX": ["10 aspmx.l.google.com."]},
            "_submission._tcp.example.edu": {"SRV": ["0 1 587 smtp.example.edu."]}}

A name in the zone without the asked type gets an empty answer (NOERROR);
a name not in it gets NXDOMAIN, as a real server would say. ``silent=True``
makes a server that reads queries and never answers (a network that eats
packets), for the offline case.
"""

from __future__ import annotations

import socket
import threading

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

Zone = dict[str, dict[str, list[str]]]


class DnsTestServer:
    def __init__(self, zone: Zone, *, silent: bool = False) -> None:
        self.zone = {name.lower().rstrip("."): records for name, records in zone.items()}
        self.silent = silent
        self.queries: list[tuple[str, str]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.host = "127.0.0.1"
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="dns-test-server", daemon=True)

    def start(self) -> DnsTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, client = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(wire)
            except dns.exception.DNSException:
                continue
            question = query.question[0]
            name = question.name.to_text().lower().rstrip(".")
            kind = dns.rdatatype.to_text(question.rdtype)
            self.queries.append((name, kind))
            if self.silent:
                continue
            self._sock.sendto(self._answer(query, name, kind).to_wire(), client)

    def _answer(self, query: dns.message.Message, name: str, kind: str) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        records = self.zone.get(name)
        if records is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        if kind in records:
            response.answer.append(
                dns.rrset.from_text_list(
                    dns.name.from_text(name), 300, dns.rdataclass.IN, kind, records[kind]
                )
            )
        return response


def closed_udp_port() -> int:
    """A loopback UDP port nobody listens on: the kernel answers "port
    unreachable", as for a computer with no working name server."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
