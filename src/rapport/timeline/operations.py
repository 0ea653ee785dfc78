"""How the shared record pages and API routes reach activities and tasks."""

from rapport.records.operations import by_convention

from . import selectors, services

ACTIVITY_OPERATIONS = by_convention("activity", selectors, services)
TASK_OPERATIONS = by_convention("task", selectors, services)
