"""Finding the outgoing server from the email address alone.

``discover(address)`` tries, in this order, and stops at the first answer:

1. the shipped presets (``account.PRESETS``), with no network at all;
2. Mozilla-style autoconfig from the mail provider: ``https://autoconfig.
   <domain>/mail/config-v1.1.xml``, then ``https://<domain>/.well-known/
   autoconfig/mail/config-v1.1.xml``, then ``http://autoconfig.<domain>/…``
   (Thunderbird also accepts plain HTTP there; such an answer says so);
3. DNS SRV records: RFC 8314 ``_submissions._tcp`` (implicit TLS) before
   RFC 6186 ``_submission._tcp`` (STARTTLS);
4. the MX records: mail handled by Google or Microsoft means their
   server, and the dialog offers that provider's sign-in (``provider``).

Everything that comes back from the network is untrusted: the XML is read
only up to ``XML_MAX_BYTES``, with no DTD (so no entities), and only an
``outgoingServer`` of type smtp with SSL or STARTTLS is taken; host names and
ports are checked like the user's own typing. Each request has a short
timeout; ``cancel`` (a ``threading.Event``) is checked between steps, so a
new address typed makes the old lookup stop at its next step. When no name
server answers, the result says the computer seems offline and only the
presets were used.

``Where`` says where the lookups go; tests point it at a DNS server and an
HTTP(S) server on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import re
import ssl
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import dns.exception
import dns.resolver

from desktop.domain.mail_domains import ascii_domain
from desktop.services.mail import oauth_clients
from desktop.services.mail.account import PRESETS, Preset, Security

Source = Literal["preset", "autoconfig", "well-known", "srv", "mx", "none"]
Provider = Literal["google", "microsoft"]

XML_MAX_BYTES = 64 * 1024  # real config files are a few kB
DEFAULT_TIMEOUT = 3.0  # seconds, per request

_HOST = re.compile(r"(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*")

# Where a provider's own mail servers live, by host name suffix.
_PROVIDER_HOSTS: tuple[tuple[str, Provider], ...] = (
    ("smtp.gmail.com", "google"),
    ("google.com", "google"),
    ("googlemail.com", "google"),
    ("office365.com", "microsoft"),
    ("outlook.com", "microsoft"),
)
# MX suffixes: Google Workspace (aspmx.l.google.com, alt1…, aspmx2.googlemail.com,
# and the newer single smtp.google.com) and Exchange Online
# (<tenant>.mail.protection.outlook.com; Outlook.com's own are
# <x>.olc.protection.outlook.com).
_PROVIDER_MX: tuple[tuple[str, Provider], ...] = (
    ("aspmx.l.google.com", "google"),
    ("googlemail.com", "google"),
    ("smtp.google.com", "google"),
    ("mail.protection.outlook.com", "microsoft"),
    ("olc.protection.outlook.com", "microsoft"),
)


@dataclass(frozen=True)
class Discovery:
    """What was found for an address; ``source`` "none" when nothing was."""

    host: str = ""
    port: int = 0
    security: Security | None = None
    username: str = ""
    source: Source = "none"
    provider: Provider | None = None  # offer "Sign in with Google/Microsoft"
    offline: bool = False  # no name server answered: presets only
    note: str = ""  # one sentence for the dialog
    preset: str | None = None  # the preset's name, when one matched

    @property
    def found(self) -> bool:
        return bool(self.host)


def public_autoconfig_urls(domain: str) -> list[tuple[Source, str]]:
    """The provider's own autoconfig locations, most trusted first."""
    return [
        ("autoconfig", f"https://autoconfig.{domain}/mail/config-v1.1.xml"),
        ("well-known", f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml"),
        ("autoconfig", f"http://autoconfig.{domain}/mail/config-v1.1.xml"),
    ]


@dataclass(frozen=True)
class Where:
    """Where the lookups go. The defaults are the system's name servers and
    the provider's real web servers; tests use 127.0.0.1 servers."""

    nameservers: tuple[str, ...] | None = None  # None: the system's
    dns_port: int = 53
    autoconfig_urls: Callable[[str], list[tuple[Source, str]]] = public_autoconfig_urls
    timeout: float = DEFAULT_TIMEOUT
    ca_file: str | None = None  # extra CA for HTTPS (tests); verification always on
    presets: tuple[Preset, ...] = field(default=PRESETS)


class Cancelled(Exception):
    """The lookup was cancelled (a newer address was typed)."""


class _Offline(Exception):
    """No name server answered."""


def provider_for_host(host: str) -> Provider | None:
    host = host.lower().rstrip(".")
    return next(
        (p for suffix, p in _PROVIDER_HOSTS if host == suffix or host.endswith("." + suffix)),
        None,
    )


def _provider_for_mx(exchange: str) -> Provider | None:
    exchange = exchange.lower().rstrip(".")
    return next((p for s, p in _PROVIDER_MX if exchange == s or exchange.endswith("." + s)), None)


def _valid_host(host: str) -> bool:
    return bool(_HOST.fullmatch(host)) and not host.replace(".", "").isdigit()


# --- 1. presets ----------------------------------------------------------------------


def _from_preset(address: str, domain: str, where: Where) -> Discovery | None:
    preset = next((p for p in where.presets if domain in p.domains), None)
    if preset is None:
        return None
    return Discovery(
        host=preset.host,
        port=preset.port,
        security=preset.security,
        username=address,  # what these providers expect
        source="preset",
        provider=provider_for_host(preset.host),
        note=f"Settings for {preset.name}, built into LetterDesk.",
        preset=preset.name,
    )


# --- 2. autoconfig -------------------------------------------------------------------


class _Refused(ValueError):
    """The config file is unusable (too big, a DTD, malformed, no SMTP)."""


def parse_autoconfig(data: bytes, address: str) -> tuple[str, int, Security, str]:
    """(host, port, security, username) of the first usable SMTP server in
    a config-v1.1.xml; raises ``ValueError`` for anything else."""
    if len(data) > XML_MAX_BYTES:
        raise _Refused("the file is too large")
    # No DTD at all: entities (the "billion laughs", external files) are
    # refused before the parser sees them. The format has no use for one.
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _Refused("the file declares a DTD or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise _Refused(f"the file is not well-formed XML ({exc})") from None
    local, _, domain = address.rpartition("@")
    for server in root.iter("outgoingServer"):
        if (server.get("type") or "").lower() != "smtp":
            continue
        host = (server.findtext("hostname") or "").strip()
        socket_type = (server.findtext("socketType") or "").strip().upper()
        security = _SOCKET_TYPES.get(socket_type)
        try:
            port = int((server.findtext("port") or "").strip())
        except ValueError:
            continue
        if security is None or not _valid_host(host) or not 1 <= port <= 65535:
            continue  # plain-text servers are never used for a password
        username = (server.findtext("username") or "").strip()
        username = (
            username.replace("%EMAILADDRESS%", address)
            .replace("%EMAILLOCALPART%", local)
            .replace("%EMAILDOMAIN%", domain)
        )
        if "%" in username or len(username) > 254 or not username.isprintable():
            username = address
        return host.lower(), port, security, username
    raise _Refused("the file names no outgoing SMTP server with SSL or STARTTLS")


_SOCKET_TYPES: dict[str, Security] = {"SSL": "ssl", "STARTTLS": "starttls"}


class _NoRedirectToPlainHttp(urllib.request.HTTPRedirectHandler):
    """An HTTPS lookup may be redirected to another HTTPS address only: a
    redirect to http:// would hand the answer to anyone on the network."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.full_url.startswith("https:") and not newurl.startswith("https:"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, where: Where) -> bytes | None:
    """The body at ``url`` (at most XML_MAX_BYTES + 1 bytes), or ``None``
    when there is none (not found, refused, unreachable, timed out)."""
    context = ssl.create_default_context(cafile=where.ca_file)
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), _NoRedirectToPlainHttp()
    )
    request = urllib.request.Request(url, headers={"User-Agent": "LetterDesk"})
    try:
        with opener.open(request, timeout=where.timeout) as response:
            if response.status != 200:
                return None
            return bytes(response.read(XML_MAX_BYTES + 1))
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        return None  # includes a server that does not speak HTTP at all


def _from_autoconfig(
    address: str, domain: str, where: Where, cancel: threading.Event
) -> tuple[Discovery | None, list[str]]:
    refused: list[str] = []
    for source, url in where.autoconfig_urls(domain):
        _check(cancel)
        data = _fetch(url, where)
        if data is None:
            continue
        try:
            host, port, security, username = parse_autoconfig(data, address)
        except ValueError as exc:
            refused.append(f"{url}: {exc}")
            continue
        how = "autoconfig" if source == "autoconfig" else "the domain's autoconfig file"
        note = f"Found by {how} for {domain}."
        if url.startswith("http:"):
            note += " It came without encryption: check that the server name is right."
        return (
            Discovery(
                host=host,
                port=port,
                security=security,
                username=username,
                source=source,
                provider=provider_for_host(host),
                note=note,
            ),
            refused,
        )
    return None, refused


# --- 3. and 4. DNS -------------------------------------------------------------------


def _resolver(where: Where) -> dns.resolver.Resolver:
    if where.nameservers is None:
        try:
            resolver = dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration as exc:  # no name server set up
            raise _Offline(str(exc)) from None
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(where.nameservers)
        resolver.port = where.dns_port
    resolver.timeout = where.timeout
    resolver.lifetime = where.timeout
    return resolver


def _query(resolver: dns.resolver.Resolver, name: str, kind: str) -> list:
    """The records, [] when there are none; raises ``_Offline`` when no
    name server answered at all."""
    try:
        return list(resolver.resolve(name, kind, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.YXDOMAIN):
        return []
    except (dns.exception.Timeout, OSError) as exc:
        raise _Offline(str(exc)) from None
    except dns.resolver.NoNameservers as exc:
        # Every server failed: offline when none could be reached, but a
        # server that answered SERVFAIL is there (the domain's DNS is broken).
        errors = exc.kwargs.get("errors") or []
        if errors and all(isinstance(e[3], OSError | dns.exception.Timeout) for e in errors):
            raise _Offline(str(exc)) from None
        return []
    except dns.exception.DNSException:
        return []


def _best_srv(records: list) -> tuple[str, int] | None:
    """The server to use: the lowest priority, and of those the greatest
    weight (RFC 2782 picks at random by weight; a settings form should show
    the same answer every time). A lone "." target means no service."""
    usable = [r for r in records if str(r.target) != "."]
    if not usable:
        return None
    best = min(usable, key=lambda r: (r.priority, -r.weight))
    host = str(best.target).rstrip(".").lower()
    if not _valid_host(host) or not 1 <= int(best.port) <= 65535:
        return None
    return host, int(best.port)


def _from_srv(
    address: str, domain: str, resolver: dns.resolver.Resolver, cancel: threading.Event
) -> Discovery | None:
    services: tuple[tuple[str, Security], ...] = (
        ("_submissions._tcp", "ssl"),  # RFC 8314: implicit TLS is preferred
        ("_submission._tcp", "starttls"),  # RFC 6186
    )
    for service, security in services:
        _check(cancel)
        best = _best_srv(_query(resolver, f"{service}.{domain}", "SRV"))
        if best is not None:
            host, port = best
            return Discovery(
                host=host,
                port=port,
                security=security,
                username=address,
                source="srv",
                provider=provider_for_host(host),
                note=f"Found in the DNS records (SRV) of {domain}.",
            )
    return None


def _from_mx(
    address: str, domain: str, resolver: dns.resolver.Resolver, cancel: threading.Event
) -> Discovery | None:
    _check(cancel)
    records = sorted(_query(resolver, domain, "MX"), key=lambda r: r.preference)
    for record in records:
        provider = _provider_for_mx(str(record.exchange))
        if provider is not None:
            # The server signing in sends through: one place knows it.
            prov = oauth_clients.provider(provider)
            name = prov.label
            return Discovery(
                host=prov.smtp_host,
                port=prov.smtp_port,
                security=prov.smtp_security,
                username=address,
                source="mx",
                provider=provider,
                note=f"{domain}'s mail is handled by {name}: use {name}'s server, and "
                f"sign in with {name}.",
            )
    return None


# --- the whole chain -----------------------------------------------------------------


def _check(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise Cancelled


def discover(
    address: str, *, where: Where | None = None, cancel: threading.Event | None = None
) -> Discovery:
    """The outgoing server for ``address``; raises ``Cancelled`` when
    ``cancel`` was set. Never raises for a network failure."""
    where = where or Where()
    cancel = cancel or threading.Event()
    local, at, typed_domain = address.strip().rpartition("@")
    try:
        domain = ascii_domain(typed_domain) if at and local else ""
    except ValueError:
        domain = ""
    if not domain:
        return Discovery(note="Type your whole email address to find its server.")
    if (preset := _from_preset(address.strip(), domain, where)) is not None:
        return preset
    try:
        resolver = _resolver(where)
        _check(cancel)
        # One quick query first: with no name server answering, the web and
        # the other records would only wait for their own timeouts.
        _query(resolver, domain, "SOA")
        found, refused = _from_autoconfig(address.strip(), domain, where, cancel)
        found = (
            found
            or _from_srv(address.strip(), domain, resolver, cancel)
            or _from_mx(address.strip(), domain, resolver, cancel)
        )
    except _Offline:
        return Discovery(
            offline=True,
            note="Offline: using the built-in presets only. Choose your provider, or "
            "enter the server your provider gives.",
        )
    if found is not None:
        return found
    note = f"No settings were found for {typed_domain}: enter the server your provider gives."
    if refused:
        note += " (Its autoconfig file was refused as unsafe or malformed.)"
    return Discovery(note=note)
