"""Settings found from the address: presets, autoconfig, SRV, MX (issue 10).

Real parts: a DNS server on 127.0.0.1 answering from a zone (dns_server.py)
and HTTP and HTTPS servers on 127.0.0.1 playing the providers' web hosts
(http_server.py; the HTTPS one has a certificate from a test CA, given to
the client as Where.ca_file). Not exercised: TLS and DNS of real hosts.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import trustme

from desktop.services.mail import oauth_clients
from desktop.services.mail.discovery import (
    XML_MAX_BYTES,
    Cancelled,
    Where,
    discover,
    parse_autoconfig,
)

from .dns_server import DnsTestServer, Zone, closed_udp_port
from .http_server import WebTestServer, urls_for
from .smtp_server import issue_server_cert, write_ca

ADDRESS = "maya.roth@example.edu"
CONFIG = "/mail/config-v1.1.xml"
WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml"


def config_xml(
    host: str = "smtp.example.edu",
    port: int = 465,
    socket_type: str = "SSL",
    username: str = "%EMAILADDRESS%",
    kind: str = "smtp",
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.edu">
    <domain>example.edu</domain>
    <incomingServer type="imap">
      <hostname>imap.example.edu</hostname><port>993</port><socketType>SSL</socketType>
    </incomingServer>
    <outgoingServer type="{kind}">
      <hostname>{host}</hostname>
      <port>{port}</port>
      <socketType>{socket_type}</socketType>
      <authentication>password-cleartext</authentication>
      <username>{username}</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>""".encode()


@pytest.fixture(scope="module")
def web_ca() -> trustme.CA:
    return trustme.CA(organization_name="LetterDesk autoconfig test CA")


@pytest.fixture
def https(web_ca: trustme.CA) -> Iterator[WebTestServer]:
    server = WebTestServer(issue_server_cert(web_ca)).start()
    yield server
    server.stop()


@pytest.fixture
def http() -> Iterator[WebTestServer]:
    server = WebTestServer().start()
    yield server
    server.stop()


@pytest.fixture
def web_ca_file(web_ca: trustme.CA, tmp_path: Path) -> str:
    return str(write_ca(web_ca, tmp_path / "web-ca.pem"))


class Net:
    """The test's internet: a zone, the web hosts that exist, the servers."""

    def __init__(self, https: WebTestServer, http: WebTestServer, ca_file: str) -> None:
        self.https, self.http, self.ca_file = https, http, ca_file
        self.hosts: set[str] = set()
        self.dns: DnsTestServer | None = None

    def serve(self, zone: Zone, **options) -> DnsTestServer:
        self.dns = DnsTestServer(zone, **options).start()
        return self.dns

    def where(self, *, port: int | None = None, timeout: float = 1.0) -> Where:
        assert port is not None or self.dns is not None
        return Where(
            nameservers=("127.0.0.1",),
            dns_port=port if port is not None else self.dns.port,  # type: ignore[union-attr]
            autoconfig_urls=urls_for(self.https, self.http, self.hosts),
            timeout=timeout,
            ca_file=self.ca_file,
        )

    def stop(self) -> None:
        if self.dns is not None:
            self.dns.stop()


@pytest.fixture
def net(https: WebTestServer, http: WebTestServer, web_ca_file: str) -> Iterator[Net]:
    network = Net(https, http, web_ca_file)
    yield network
    network.stop()


ZONE: Zone = {"example.edu": {"SOA": ["ns.example.edu. admin.example.edu. 1 3600 600 86400 60"]}}


def zone(**extra: dict[str, list[str]]) -> Zone:
    found = {k: dict(v) for k, v in ZONE.items()}
    for name, records in extra.items():
        found.setdefault(name, {}).update(records)
    return found


def srv_zone(submissions: list[str] | None = None, submission: list[str] | None = None) -> Zone:
    found = zone()
    if submissions is not None:
        found["_submissions._tcp.example.edu"] = {"SRV": submissions}
    if submission is not None:
        found["_submission._tcp.example.edu"] = {"SRV": submission}
    return found


# --- the order ----------------------------------------------------------------------


def test_a_preset_wins_without_touching_the_network(net: Net) -> None:
    dns_server = net.serve(zone())
    found = discover("maya@gmail.com", where=net.where())
    assert (found.host, found.port, found.security) == ("smtp.gmail.com", 465, "ssl")
    assert found.source == "preset" and found.provider == "google"
    assert found.username == "maya@gmail.com"
    assert "built into LetterDesk" in found.note
    assert dns_server.queries == [] and net.https.requests == []


def test_autoconfig_wins_over_srv(net: Net) -> None:
    net.serve(srv_zone(submission=["0 1 587 srv.example.edu."]))
    net.hosts |= {"autoconfig.example.edu"}
    net.https.files["/autoconfig.example.edu" + CONFIG] = config_xml()
    found = discover(ADDRESS, where=net.where())
    assert (found.host, found.port, found.security, found.source) == (
        "smtp.example.edu",
        465,
        "ssl",
        "autoconfig",
    )
    assert found.username == ADDRESS
    assert found.note == "Found by autoconfig for example.edu."
    assert not found.offline and found.provider is None


def test_well_known_when_the_autoconfig_host_is_absent(net: Net) -> None:
    net.serve(zone())
    net.hosts |= {"example.edu"}  # no autoconfig.example.edu host at all
    net.https.files["/example.edu" + WELL_KNOWN] = config_xml(
        port=587, socket_type="STARTTLS", username="%EMAILLOCALPART%"
    )
    found = discover(ADDRESS, where=net.where())
    assert found.source == "well-known"
    assert (found.port, found.security, found.username) == (587, "starttls", "maya.roth")


def test_plain_http_autoconfig_is_taken_last_and_says_so(net: Net) -> None:
    net.serve(zone())
    net.hosts |= {"autoconfig.example.edu"}
    net.http.files["/autoconfig.example.edu" + CONFIG] = config_xml()
    found = discover(ADDRESS, where=net.where())
    assert found.source == "autoconfig" and found.host == "smtp.example.edu"
    assert "without encryption" in found.note
    # The HTTPS locations were asked first.
    assert net.https.requests == ["/autoconfig.example.edu" + CONFIG]


def test_an_untrusted_https_certificate_is_not_accepted(net: Net, tmp_path: Path) -> None:
    net.serve(zone())
    net.hosts |= {"autoconfig.example.edu"}
    net.https.files["/autoconfig.example.edu" + CONFIG] = config_xml()
    other_ca = write_ca(trustme.CA(), tmp_path / "other.pem")
    where = net.where()
    found = discover(ADDRESS, where=Where(**{**where.__dict__, "ca_file": str(other_ca)}))
    assert found.source == "none"


def test_srv_submissions_is_preferred_and_priority_then_weight_decide(net: Net) -> None:
    net.serve(
        srv_zone(
            submissions=[
                "10 100 465 backup.example.edu.",
                "0 10 465 light.example.edu.",
                "0 60 465 heavy.example.edu.",
            ],
            submission=["0 1 587 starttls.example.edu."],
        )
    )
    found = discover(ADDRESS, where=net.where())
    assert (found.host, found.port, found.security, found.source) == (
        "heavy.example.edu",
        465,
        "ssl",
        "srv",
    )
    assert found.note == "Found in the DNS records (SRV) of example.edu."


def test_a_dot_target_means_no_service_and_the_next_record_is_used(net: Net) -> None:
    net.serve(srv_zone(submissions=["0 0 0 ."], submission=["5 0 587 mail.example.edu."]))
    found = discover(ADDRESS, where=net.where())
    assert (found.host, found.port, found.security) == ("mail.example.edu", 587, "starttls")


@pytest.mark.parametrize(
    ("exchanges", "provider", "host"),
    [
        (["1 aspmx.l.google.com.", "5 alt1.aspmx.l.google.com."], "google", "smtp.gmail.com"),
        (["10 aspmx2.googlemail.com."], "google", "smtp.gmail.com"),
        (["0 example-edu.mail.protection.outlook.com."], "microsoft", "smtp.office365.com"),
    ],
)
def test_a_google_or_microsoft_mx_offers_that_providers_sign_in(
    net: Net, exchanges: list[str], provider: str, host: str
) -> None:
    net.serve(zone(**{"example.edu": {"MX": exchanges}}))
    found = discover(ADDRESS, where=net.where())
    assert (found.source, found.provider, found.host) == ("mx", provider, host)
    assert found.username == ADDRESS
    assert "sign in with" in found.note


def test_an_mx_answer_uses_the_server_that_signing_in_sends_through(
    net: Net, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One place knows a provider's SMTP server (oauth_clients.PROVIDERS):
    what the lookup fills in is what "Sign in with Microsoft" sets."""
    moved = replace(oauth_clients.PROVIDERS["microsoft"], smtp_host="smtp.moved.example")
    monkeypatch.setitem(oauth_clients.PROVIDERS, "microsoft", moved)
    net.serve(zone(**{"example.edu": {"MX": ["0 example-edu.mail.protection.outlook.com."]}}))
    found = discover(ADDRESS, where=net.where())
    assert (found.host, found.port, found.security) == ("smtp.moved.example", 587, "starttls")


def test_srv_wins_over_mx(net: Net) -> None:
    found_zone = srv_zone(submission=["0 1 587 relay.example.edu."])
    found_zone["example.edu"]["MX"] = ["1 aspmx.l.google.com."]
    net.serve(found_zone)
    assert discover(ADDRESS, where=net.where()).source == "srv"


def test_an_unknown_mx_finds_nothing_and_says_what_to_do(net: Net) -> None:
    net.serve(zone(**{"example.edu": {"MX": ["10 mx.example.edu."]}}))
    found = discover(ADDRESS, where=net.where())
    assert found.source == "none" and not found.found and not found.offline
    assert "enter the server your provider gives" in found.note


# --- offline and cancel -------------------------------------------------------------


def test_offline_no_name_server_means_presets_only(net: Net) -> None:
    started = time.monotonic()
    found = discover(ADDRESS, where=net.where(port=closed_udp_port()))
    assert found.offline and found.source == "none"
    assert found.note.startswith("Offline: using the built-in presets only")
    assert time.monotonic() - started < 3
    # A preset still answers offline.
    assert discover("me@icloud.com", where=net.where(port=closed_udp_port())).found


def test_a_name_server_that_never_answers_times_out_as_offline(net: Net) -> None:
    silent = net.serve(zone(), silent=True)
    started = time.monotonic()
    found = discover(ADDRESS, where=net.where(timeout=0.5))
    assert found.offline
    assert time.monotonic() - started < 2.5
    assert silent.queries  # it was asked


def test_cancel_stops_between_steps(net: Net) -> None:
    net.serve(zone())
    net.hosts |= {"autoconfig.example.edu"}
    path = "/autoconfig.example.edu" + CONFIG
    net.https.delays[path] = 0.6  # a slow web server
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        discover(ADDRESS, where=net.where(), cancel=cancel)
    # It stopped after the request it was in, not after the whole chain.
    assert time.monotonic() - started < 2
    assert net.https.requests == [path]


def test_a_cancel_before_starting_does_nothing(net: Net) -> None:
    dns_server = net.serve(zone())
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        discover(ADDRESS, where=net.where(), cancel=cancel)
    assert dns_server.queries == []


# --- untrusted XML ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<clientConfig><emailProvider><outgoingServer",  # malformed
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<clientConfig><emailProvider><outgoingServer type='smtp'><hostname>&b;</hostname>"
        b"</outgoingServer></emailProvider></clientConfig>",  # entity expansion
        b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><clientConfig/>',  # external entity
        config_xml(socket_type="plain"),  # a password never goes unencrypted
        config_xml(kind="exchange"),
        config_xml(host="smtp.example.edu\nBcc: evil"),
        config_xml(port=99999),
        b"<html><body>Welcome to nginx</body></html>",
    ],
)
def test_an_unusable_config_is_refused_cleanly(net: Net, body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_autoconfig(body, ADDRESS)
    net.serve(zone())
    net.hosts |= {"autoconfig.example.edu"}
    net.https.files["/autoconfig.example.edu" + CONFIG] = body
    found = discover(ADDRESS, where=net.where())
    assert found.source == "none"
    assert "refused as unsafe or malformed" in found.note


def test_a_huge_config_is_refused_after_reading_only_the_limit(net: Net) -> None:
    huge = config_xml()[: -len(b"</clientConfig>")] + b"<!--" + b"x" * (20 * XML_MAX_BYTES)
    net.serve(zone(**{"_submission._tcp.example.edu": {"SRV": ["0 1 587 relay.example.edu."]}}))
    net.hosts |= {"autoconfig.example.edu"}
    net.https.files["/autoconfig.example.edu" + CONFIG] = huge
    found = discover(ADDRESS, where=net.where())
    assert found.source == "srv"  # the next step answered instead


def test_a_username_with_an_unknown_placeholder_falls_back_to_the_address() -> None:
    assert parse_autoconfig(config_xml(username="%REALNAME%"), ADDRESS)[3] == ADDRESS


def test_no_domain_no_lookup() -> None:
    found = discover("maya")
    assert not found.found and "whole email address" in found.note


def test_a_host_that_does_not_speak_http_is_skipped(net: Net) -> None:
    """A raw TCP server answering garbage (http.client raises BadStatusLine,
    which is no OSError) where the autoconfig host should be."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer_garbage() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    threading.Thread(target=answer_garbage, daemon=True).start()
    net.serve(zone(**{"_submission._tcp.example.edu": {"SRV": ["0 1 587 relay.example.edu."]}}))
    where = net.where()
    garbage = [("autoconfig", f"http://127.0.0.1:{port}/mail/config-v1.1.xml")]
    try:
        found = discover(
            ADDRESS, where=Where(**{**where.__dict__, "autoconfig_urls": lambda d: garbage})
        )
    finally:
        listener.close()
    assert found.source == "srv"
