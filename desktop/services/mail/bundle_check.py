"""One line for ``letterdesk --self-test``: the parts of signing in and of
finding servers that a frozen build can lose without any import failing at
start-up. dnspython loads each record type's module by name only when an
answer of that type arrives, oauthlib is first imported when someone signs
in, and the build's client IDs are a data file the spec must copy."""

from __future__ import annotations


def mail_parts() -> str:
    """What was found; raises (ImportError, OSError, …) for what is missing."""
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype
    from oauthlib.oauth2 import WebApplicationClient

    from desktop.domain.mail_domains import ascii_domain
    from desktop.services.mail.oauth_clients import bundled_config_path

    for kind, text in (("SRV", "0 1 587 smtp.example.org."), ("MX", "0 mx.example.org.")):
        dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(kind), text)
    client = WebApplicationClient("self-test")
    client.create_code_challenge(client.create_code_verifier(64), "S256")
    config = bundled_config_path()
    config.read_text(encoding="utf-8")
    return f"mail: {ascii_domain('universität.example')}, SRV and MX records, PKCE, {config}"
