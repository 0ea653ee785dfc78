"""How the shared record pages and API routes reach accounts and contacts."""

from rapport.records.operations import by_convention

from . import selectors, services

ACCOUNT_OPERATIONS = by_convention("account", selectors, services, checks_duplicates=True)
CONTACT_OPERATIONS = by_convention("contact", selectors, services, checks_duplicates=True)
