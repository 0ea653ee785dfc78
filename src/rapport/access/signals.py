from django.dispatch import Signal

# Sent when access is refused, so the security log can record it without access importing audit.
access_refused = Signal()
