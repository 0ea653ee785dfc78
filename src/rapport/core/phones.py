"""Phone numbers: stored E.164 beside the number as entered, so any spelling matches."""

import phonenumbers
from django.conf import settings

DEFAULT_REGION = getattr(settings, "PHONE_DEFAULT_REGION", "CN")


def to_e164(raw: str, region: str | None = None) -> str | None:
    """The E.164 form of `raw`, or None when it is not a valid number."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
