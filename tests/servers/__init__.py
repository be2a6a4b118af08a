"""Real servers on 127.0.0.1 for the integration tests.

Each server is a small class with ``start()``/``stop()`` that is also a context
manager. A missing binary raises :class:`ServerMissing` (the fixtures turn it
into a test *failure*, never a skip: a skipped integration suite hides exactly
the bugs it exists to catch).
"""

from tests.servers._util import ServerMissing, ServerStartError, free_port, wait_for_port
from tests.servers.dovecot import Dovecot, Mailbox
from tests.servers.postfix import Postfix
from tests.servers.postgres import PostgresCluster
from tests.servers.smtp import Fault, Received, SmtpSink, SmtpSinkProcess

__all__ = [
    "Dovecot",
    "Fault",
    "Mailbox",
    "Postfix",
    "PostgresCluster",
    "Received",
    "ServerMissing",
    "ServerStartError",
    "SmtpSink",
    "SmtpSinkProcess",
    "free_port",
    "wait_for_port",
]
