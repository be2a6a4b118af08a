"""`mailbot demo`: embedded mail servers, sample mails, and mailbot handling them."""

from mailbot.demo.run import run_demo

__all__ = ["run_demo"]
