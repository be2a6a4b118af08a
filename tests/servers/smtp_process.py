"""Entry point of the out-of-process SMTP sink: ``python -m tests.servers.smtp_process``.

A module of its own (not ``-m tests.servers.smtp``) because the package
imports ``smtp``, and running an already-imported module as __main__ makes
runpy warn and load it twice.
"""

from tests.servers.smtp import main

if __name__ == "__main__":
    main()
