"""mailbot: IPP's e-mail automation daemon for webinar registrations."""

__version__ = "0.1.0"
