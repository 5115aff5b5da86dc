"""A real IMAP server for the tests: Dovecot (Debian's ``dovecot-imapd``)
on 127.0.0.1, started in the foreground with a configuration of its own.

- TLS only (implicit TLS, like port 993), with a certificate from the
  tests' ``trustme`` CA, so the client verifies it through
  ``SmtpAccount.ca_file`` like any school's server;
- password logins from a passwd-file, and XOAUTH2 logins whose tokens
  Dovecot itself checks with the test OAuth server's ``/introspect``
  endpoint (RFC 7662, Dovecot's ``oauth2`` passdb), so a signed-in account
  reads mail exactly as against Gmail or Microsoft 365;
- Maildir storage in the test's own folder; a ``Sent`` folder marked
  ``\\Sent`` (RFC 6154), an ``Archive`` without it.

Messages are put in by APPEND over a second connection (``deliver``), as a
mail client would, or, for the benchmark's 100,000 messages, written into
the Maildir directly (``write_maildir``) and indexed by Dovecot on first
access.

Dovecot refuses to keep mail as root, so the mail belongs to the
``dovecot`` system user, in a folder of the server's own under /tmp that
this user can reach (pytest's tmp_path is private to root); ``stop()``
removes it.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import trustme

from desktop.services.mail.account import SmtpAccount

from .smtp_server import PASSWORD as SMTP_PASSWORD
from .smtp_server import USER as SMTP_USER

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
# The SMTP test server's login, so one account sends and reads; and a
# second user whose password is not ASCII (AUTHENTICATE PLAIN sends UTF-8).
USER = SMTP_USER
PASSWORD = SMTP_PASSWORD
OTHER_USER = "zoe@example.org"
OTHER_PASSWORD = "pässwörd ★ 7f3a"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def available() -> bool:
    return os.path.exists(DOVECOT)


_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = letterdesk-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = {mechanisms}
first_valid_uid = {uid}
mail_uid = {uid}
mail_gid = {gid}
default_internal_user = root
default_internal_group = root
default_login_user = dovenull
mail_location = maildir:{root}/mail/%u
imap_capability = {capability}
{oauth}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox "{sent}" {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Archive {{
    auto = create
  }}
{decoy}
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""

_OAUTH = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
"""

_OAUTH_ARGS = """\
introspection_mode = post
introspection_url = {url}
username_attribute = username
active_attribute = active
active_value = true
tls_ca_cert_file = {ca}
"""


@dataclass
class Delivered:
    uid: int
    message_id: str


class DovecotServer:
    """``start()`` / ``stop()``; ``deliver()`` APPENDs a message."""

    def __init__(
        self,
        cert: trustme.LeafCert,
        *,
        introspect_url: str | None = None,
        ca_file: Path | None = None,
        idle: bool = True,
        sent_folder: str = "Sent",
    ) -> None:
        root = Path(tempfile.mkdtemp(prefix="letterdesk-dovecot-"))
        root.chmod(0o755)
        self.root = root
        self.mail_owner = pwd.getpwnam("dovecot")
        self.port = free_port()
        self.host = "127.0.0.1"
        self.process: subprocess.Popen[bytes] | None = None
        root.mkdir(parents=True, exist_ok=True)
        (root / "run").mkdir(exist_ok=True)
        (root / "state").mkdir(exist_ok=True)
        (root / "mail").mkdir(exist_ok=True)
        os.chown(root / "mail", self.mail_owner.pw_uid, self.mail_owner.pw_gid)
        cert.private_key_pem.write_to_path(str(root / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(root / "cert.pem"))
        for extra in cert.cert_chain_pems[1:]:
            with open(root / "cert.pem", "ab") as out:
                out.write(extra.bytes())
        (root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}::::::\n{OTHER_USER}:{{PLAIN}}{OTHER_PASSWORD}::::::\n",
            encoding="utf-8",
        )
        oauth = ""
        mechanisms = "plain login"
        if introspect_url is not None:
            (root / "oauth2.conf.ext").write_text(
                _OAUTH_ARGS.format(url=introspect_url, ca=ca_file), encoding="utf-8"
            )
            oauth = _OAUTH.format(root=root)
            mechanisms += " xoauth2 oauthbearer"
        capability = "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE SPECIAL-USE UIDPLUS"
        if idle:
            capability += " IDLE"
        self.config = root / "dovecot.conf"
        self.config.write_text(
            _CONFIG.format(
                root=root,
                port=self.port,
                uid=self.mail_owner.pw_uid,
                gid=self.mail_owner.pw_gid,
                oauth=oauth,
                capability=capability,
                mechanisms=mechanisms,
                sent=sent_folder,
                # A folder named "Sent" that is not the special-use one, so a
                # client going by the name would pick the wrong folder.
                decoy="" if sent_folder == "Sent" else "  mailbox Sent {\n    auto = create\n  }",
            ),
            encoding="utf-8",
        )

    # --- running -----------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> DovecotServer:
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")  # type: ignore[union-attr]
                raise RuntimeError(f"dovecot exited: {output}\n{self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(errors="replace")
        except OSError:
            return ""

    # --- the mailbox, as a mail client sees it ------------------------------------

    def client_context(self, ca_file: Path) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(ca_file))

    def connect(self, ca_file: Path) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.client_context(ca_file))
        conn.login(USER, PASSWORD)
        return conn

    def account(self, smtp_account: SmtpAccount) -> SmtpAccount:
        """The SMTP test account, reading its mail here."""
        return replace(smtp_account, imap_host=self.host, imap_port=self.port)

    def deliver(self, ca_file: Path, message: EmailMessage | bytes, folder: str = "INBOX") -> int:
        """APPEND the message; its UID (UIDPLUS's APPENDUID)."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        conn = self.connect(ca_file)
        try:
            typ, data = conn.append(f'"{folder}"', "", imaplib.Time2Internaldate(time.time()), raw)
            assert typ == "OK", data
            text = data[0].decode() if isinstance(data[0], bytes) else str(data[0])
            # "[APPENDUID <validity> <uid>] Append completed."
            return int(text.split("APPENDUID", 1)[1].split()[1].rstrip("]"))
        finally:
            conn.logout()

    def message_ids(self, ca_file: Path, folder: str) -> list[str]:
        conn = self.connect(ca_file)
        try:
            typ, data = conn.select(f'"{folder}"', readonly=True)
            assert typ == "OK", data
            typ, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            ids = []
            for item in data:
                if isinstance(item, tuple):
                    header = item[1].decode().strip()
                    if header:
                        ids.append(header.split(":", 1)[1].strip())
            return ids
        finally:
            conn.logout()

    def write_maildir(self, messages: list[bytes], folder: str = "") -> None:
        """Put messages straight into the user's Maildir (new/): for the
        benchmark's mailbox, which APPEND would take minutes to fill."""
        base = self.root / "mail" / USER
        if folder:
            base = base / f".{folder}"
        for sub in ("cur", "new", "tmp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        stamp = int(time.time())
        new = base / "new"
        uid, gid = self.mail_owner.pw_uid, self.mail_owner.pw_gid
        for index, raw in enumerate(messages):
            path = new / f"{stamp}.M{index}P1.letterdesk-test"
            path.write_bytes(raw)
            os.chown(path, uid, gid)
        for folder_path in (base, *base.parents):
            if folder_path == self.root / "mail":
                break
            os.chown(folder_path, uid, gid)
        for sub in ("cur", "new", "tmp"):
            os.chown(base / sub, uid, gid)


def plain_message(
    *,
    sender: str,
    subject: str,
    body: str,
    in_reply_to: str | None = None,
    references: str | None = None,
    to: str = USER,
    charset: str = "utf-8",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain="writer.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body, charset=charset)
    return message


def _now():
    from datetime import datetime

    return datetime.now(UTC)
