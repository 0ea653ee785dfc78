"""iCalendar (RFC 5545) for a user's activities and dated tasks, as calendar apps subscribe to it."""

from datetime import UTC, timedelta

from django.utils import timezone

from .models import Activity, Task


def calendar(*, user, activities: list[Activity], tasks: list[Task], base_url: str) -> str:
    base_url = base_url.rstrip("/")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport//CRM//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", _property("X-WR-CALNAME", f"Rapport – {user}")]
    stamp = _utc(timezone.now())
    for activity in activities:
        end = activity.occurred_at + timedelta(minutes=activity.duration_minutes or 30)
        customer = activity.contact or activity.account
        lines += _event(uid=f"activity-{activity.pk}@rapport", stamp=stamp, start=activity.occurred_at, end=end,
                        summary=f"{activity.get_kind_display()}: {activity.subject}"
                                + (f" – {customer}" if customer else ""),
                        description=activity.body, location=activity.place,
                        url=f"{base_url}{activity.get_absolute_url()}")
    for task in tasks:
        lines += _event(uid=f"task-{task.pk}@rapport", stamp=stamp, start=task.due_at,
                        end=task.due_at + timedelta(minutes=15),
                        summary=("☑ " if task.status == "done" else "☐ ") + task.title
                                + (f" – {task.account}" if task.account_id else ""),
                        description=task.description, location="", url=f"{base_url}{task.get_absolute_url()}")
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)


def _event(*, uid, stamp, start, end, summary, description, location, url) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART:{_utc(start)}", f"DTEND:{_utc(end)}",
             _property("SUMMARY", summary), f"URL:{url}"]
    if description:
        lines.append(_property("DESCRIPTION", description))
    if location:
        lines.append(_property("LOCATION", location))
    lines.append("END:VEVENT")
    return lines


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _property(name: str, text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
    return f"{name}:{escaped.replace(chr(10), chr(92) + 'n')}"


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1)."""
    parts, current = [], b""
    for character in line:
        encoded = character.encode()
        if len(current) + len(encoded) > (limit if not parts else limit - 1):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)
