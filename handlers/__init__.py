"""Every handler, registered by name in one place. The order lives in mailbot/pipeline.py."""

from __future__ import annotations

from handlers.apply_replacement import ApplyReplacement
from handlers.base import Handler
from handlers.check_duplicate import CheckDuplicate
from handlers.check_session import CheckSession
from handlers.check_size import CheckSize
from handlers.drop_noise import DropNoise
from handlers.handle_bounce import HandleBounce
from handlers.issue_invoice import IssueInvoice
from handlers.park_for_review import ParkForReview
from handlers.queue_access import QueueAccess
from handlers.queue_confirmation import QueueConfirmation
from handlers.record_registration import RecordRegistration
from handlers.registration_done import RegistrationDone
from handlers.understand import Understand


def _registry(*handlers: Handler) -> dict[str, Handler]:
    names = [h.name for h in handlers]
    if len(set(names)) != len(names):
        raise ValueError(f"two handlers share a name: {names}")
    return {h.name: h for h in handlers}


REGISTRY: dict[str, Handler] = _registry(
    CheckSize(),
    Understand(),
    DropNoise(),
    HandleBounce(),
    CheckSession(),
    CheckDuplicate(),
    RecordRegistration(),
    IssueInvoice(),
    QueueConfirmation(),
    QueueAccess(),
    RegistrationDone(),
    ApplyReplacement(),
    ParkForReview(),
)
