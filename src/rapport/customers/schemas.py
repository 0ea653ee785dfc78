"""The API's view of accounts, contacts and custom field definitions.

In and Patch schemas refuse any field they do not name (system fields such as `id`, `version` or
`created_at` included) instead of ignoring it. Owner, team, parent and account are given as ids.
Field rules (lengths, choices, email, phone, custom fields, who may own what) are checked by the
services, so the API, the HTML forms and imports refuse the same input with the same messages.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from rapport.core.api_rules import CUSTOM_DESCRIPTION, CUSTOM_RULE, PHONE_RULE, model_rules
from rapport.core.ids import RecordId

from .models import Account, Contact, LifecycleStage

VERSION_DESCRIPTION = "Also the ETag; send it back in If-Match when you change the record."


PHONES = {"phone", "other_phone", "mobile_phone", "work_phone"}
URL_RULE = "A web address, e.g. https://example.com."


def _rules_of(model) -> ConfigDict:
    server_rules = {name: PHONE_RULE for name in PHONES} | {"custom": CUSTOM_RULE, "website": URL_RULE}
    return ConfigDict(extra="forbid", json_schema_extra=model_rules(model, server_rules))


class AccountPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = _rules_of(Account)

    name: str = ""
    external_id: str = ""
    legal_name: str = ""
    industry: str = ""
    sic_code: str = ""
    employees: int | None = None
    annual_revenue: Decimal | None = None
    currency: str = settings.DEFAULT_CURRENCY
    website: str = ""
    phone: str = ""
    other_phone: str = ""
    email: str = ""
    other_email: str = ""
    billing_country: str = ""
    billing_province: str = ""
    billing_city: str = ""
    billing_street: str = ""
    billing_postcode: str = ""
    shipping_country: str = ""
    shipping_province: str = ""
    shipping_city: str = ""
    shipping_street: str = ""
    shipping_postcode: str = ""
    parent: RecordId | None = Field(None, description="The parent account's id.")
    lifecycle_stage: str = Field(LifecycleStage.PROSPECT.value, description="prospect, customer or former")
    source: str = ""
    rating: str = Field("", description="hot, warm, cold or empty")
    owner: RecordId | None = Field(None, description="The owner's user id; by default the caller.")
    team: RecordId | None = Field(None, description="The team's id; by default the owner's team.")
    tags: list[str] = Field(default_factory=list, description="Tag names; replaces all tags.")
    custom: dict[str, Any] = Field(default_factory=dict, description=CUSTOM_DESCRIPTION)


class AccountIn(AccountPatch):
    name: str
    allow_duplicates: bool = Field(False, description="Create even if a record with the same name, email "
                                                      "or phone exists (otherwise 409 lists them).")


class ContactPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = _rules_of(Contact)

    full_name: str = ""
    external_id: str = ""
    given_name: str = ""
    family_name: str = ""
    title: str = ""
    department: str = ""
    account: RecordId | None = Field(None, description="The account's id.")
    mobile_phone: str = ""
    work_phone: str = ""
    email: str = ""
    other_email: str = ""
    preferred_channel: str = Field("", description="email, phone, mobile, visit, wechat or empty")
    marketing_consent: bool = False
    consent_at: datetime.datetime | None = Field(None, description="Set to now when consent changes, "
                                                                    "unless given.")
    consent_method: str = ""
    birthday: datetime.date | None = None
    owner: RecordId | None = Field(None, description="The owner's user id; by default the caller.")
    team: RecordId | None = Field(None, description="The team's id; by default the owner's team.")
    tags: list[str] = Field(default_factory=list, description="Tag names; replaces all tags.")
    custom: dict[str, Any] = Field(default_factory=dict, description=CUSTOM_DESCRIPTION)


class ContactIn(ContactPatch):
    full_name: str
    allow_duplicates: bool = Field(False, description="Create even if a record with the same name, email "
                                                      "or phone exists (otherwise 409 lists them).")


class _RecordOut(Schema):
    @staticmethod
    def resolve_owner(record) -> int:
        return record.owner_id

    @staticmethod
    def resolve_team(record) -> int | None:
        return record.team_id

    @staticmethod
    def resolve_tags(record) -> list[str]:
        return [tag.name for tag in record.tags.all()]


class AccountOut(_RecordOut):
    id: int
    name: str
    external_id: str
    legal_name: str
    industry: str
    sic_code: str
    employees: int | None
    annual_revenue: Decimal | None
    currency: str
    website: str
    phone: str
    phone_e164: str
    other_phone: str
    other_phone_e164: str
    email: str
    other_email: str
    billing_country: str
    billing_province: str
    billing_city: str
    billing_street: str
    billing_postcode: str
    shipping_country: str
    shipping_province: str
    shipping_city: str
    shipping_street: str
    shipping_postcode: str
    parent: int | None
    lifecycle_stage: str
    source: str
    rating: str
    owner: int
    team: int | None
    tags: list[str]
    custom: dict[str, Any]
    version: int = Field(description=VERSION_DESCRIPTION)
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_parent(account: Account) -> int | None:
        return account.parent_id


class ContactOut(_RecordOut):
    id: int
    full_name: str
    external_id: str
    given_name: str
    family_name: str
    title: str
    department: str
    account: int | None
    mobile_phone: str
    mobile_phone_e164: str
    work_phone: str
    work_phone_e164: str
    email: str
    other_email: str
    preferred_channel: str
    marketing_consent: bool
    consent_at: datetime.datetime | None
    consent_method: str
    birthday: datetime.date | None
    owner: int
    team: int | None
    tags: list[str]
    custom: dict[str, Any]
    version: int = Field(description=VERSION_DESCRIPTION)
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_account(contact: Contact) -> int | None:
        return contact.account_id
