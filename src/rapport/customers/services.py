"""Every write to accounts and contacts. HTML views, the API, imports and tasks all call these."""

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.db.models.lookups import Exact, In
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access
from rapport.audit import history
from rapport.audit.history import ChangeAction
from rapport.core import bulk
from rapport.core.errors import DuplicatesFound, InvalidInput, Refused
from rapport.core.models import set_fields
from rapport.core.phones import to_e164
from rapport.records import services as record_services
from rapport.records.custom_fields import apply_custom_values
from rapport.records.tags import link_tags, tag_names, tags_named, unlink_all_tags
from rapport.search import services as search_index

from .merging import move_everything
from .models import Account, Contact

PERMISSION_MODULE = "customers"


@dataclass(frozen=True)
class Entity:
    """What differs between accounts and contacts; everything else is shared below."""

    model: type[models.Model]
    key: str
    name_field: str
    phone_fields: tuple[str, ...]
    email_fields: tuple[str, ...]
    editable: tuple[str, ...]


ACCOUNT = Entity(
    model=Account, key="account", name_field="name", phone_fields=("phone", "other_phone"),
    email_fields=("email", "other_email"),
    editable=(
        "name", "external_id", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "currency",
        "website",
        "phone", "other_phone", "email", "other_email",
        "billing_country", "billing_province", "billing_city", "billing_street", "billing_postcode",
        "shipping_country", "shipping_province", "shipping_city", "shipping_street", "shipping_postcode",
        "parent", "lifecycle_stage", "source", "rating", "owner", "team",
    ),
)
CONTACT = Entity(
    model=Contact, key="contact", name_field="full_name", phone_fields=("mobile_phone", "work_phone"),
    email_fields=("email", "other_email"),
    editable=(
        "full_name", "external_id", "given_name", "family_name", "title", "department", "account", "mobile_phone",
        "work_phone",
        "email", "other_email", "preferred_channel", "marketing_consent", "consent_at", "consent_method",
        "birthday", "owner", "team",
    ),
)
# --- create, update ---------------------------------------------------------------------------


def account_create(*, actor, data: dict, allow_duplicates: bool = False) -> Account:
    return _create(ACCOUNT, actor=actor, data=data, allow_duplicates=allow_duplicates)


def contact_create(*, actor, data: dict, allow_duplicates: bool = False) -> Contact:
    return _create(CONTACT, actor=actor, data=data, allow_duplicates=allow_duplicates)


def account_update(*, actor, account: Account, data: dict, version: int | None) -> Account:
    return _update(ACCOUNT, actor=actor, record=account, data=data, version=version)


def contact_update(*, actor, contact: Contact, data: dict, version: int | None) -> Contact:
    return _update(CONTACT, actor=actor, record=contact, data=data, version=version)


def record_build(entity: Entity, *, actor, data: dict, custom_definitions=None, loaded: tuple[str, ...] = ()):
    """A new record with `data` applied and validated by the rules of create; nothing is saved.

    Returns (record, tag names or None); raises PermissionDenied or InvalidInput. `_create` saves the
    record; an import validates every row with this and saves the valid ones with `records_create_many`.
    A bulk caller passes the custom field definitions and the relations it set to records it just loaded
    (`loaded`), sparing a query per row.
    """
    access.require(actor, f"{PERMISSION_MODULE}.create")
    record = entity.model(owner=actor, team=actor.team, created_by=actor)
    tags = _apply(entity, actor=actor, record=record, data=data, custom_definitions=custom_definitions,
                  loaded=loaded)
    return record, tags


def record_change(entity: Entity, *, actor, record, data: dict, custom_definitions=None,
                  loaded: tuple[str, ...] = ()) -> list[str] | None:
    """Apply `data` to `record` (current, locked by the caller) and validate it by the rules of update; not saved."""
    access.require(actor, f"{PERMISSION_MODULE}.edit", record, hide=not _can_view(actor, record))
    return _apply(entity, actor=actor, record=record, data=data, custom_definitions=custom_definitions, loaded=loaded)


def _create(entity: Entity, *, actor, data: dict, allow_duplicates: bool):
    record, tags = record_build(entity, actor=actor, data=data)
    if not allow_duplicates and (duplicates := find_duplicates(entity, record)):
        visible = [duplicate for duplicate in duplicates if _can_view(actor, duplicate)]
        raise DuplicatesFound(visible, hidden_count=len(duplicates) - len(visible))
    with transaction.atomic():
        record.save()
        if tags is not None:
            record.tags.set(tags_named(entity.model, tags))
        record_services.records_created(actor=actor, model=entity.model, records=[record])
    return record


def _update(entity: Entity, *, actor, record, data: dict, version: int | None):
    def change(current) -> None:
        tags = _apply(entity, actor=actor, record=current, data=data)
        if tags is not None:
            current.tags.set(tags_named(entity.model, tags))

    return record_services.record_update(actor=actor, record=record, version=version, change=change)


def _can_view(actor, record) -> bool:
    return access.can(actor, f"{PERMISSION_MODULE}.view", record)


def _apply(entity: Entity, *, actor, record, data: dict, custom_definitions=None,
           loaded: tuple[str, ...] = ()) -> list[str] | None:
    """Set the given fields on `record` and validate it; raise InvalidInput with every error at once.

    Returns the cleaned tag names when `data` sets tags. Writes nothing.
    """
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(entity.editable) - {"tags", "custom"}
    for field in sorted(unknown):
        errors[field] = [_("This field cannot be set.")]
    consent_before = getattr(record, "marketing_consent", None)
    set_fields(record, data, entity.editable)
    if entity is CONTACT and record.marketing_consent != consent_before and not data.get("consent_at"):
        record.consent_at = timezone.now()
    _check_assignment(actor, record, data, errors)
    _normalise_phones(entity, record, errors)
    if entity is ACCOUNT:
        _check_parent(record, errors)
        if record.parent_id and "parent" in data and not _can_view(actor, record.parent):
            errors["parent"] = [_("Choose an account you can see.")]
    if entity is CONTACT and record.account_id and "account" in data and not _can_view(actor, record.account):
        errors["account"] = [_("Choose an account you can see.")]
    apply_custom_values(record, data, errors, custom_definitions)
    try:
        record.full_clean(exclude=["owner", "team", "created_by", "deleted_by", "custom", *loaded, *errors,
                                   *_unchecked(entity, data)])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise InvalidInput(fields=errors)
    return tag_names(data["tags"]) if "tags" in data else None


def _unchecked(entity: Entity, data: dict) -> list[str]:
    """The fields `data` leaves as they were and that may be blank: what they hold passed these rules when it
    was stored (or is the field's default), so checking it again on every row of an import is wasted."""
    return [name for name in _may_be_blank(entity.model) if name not in data]


@functools.cache
def _may_be_blank(model) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.concrete_fields if field.blank)


def _check_assignment(actor, record, data: dict, errors: dict) -> None:
    permission = f"{PERMISSION_MODULE}.edit" if record.pk else f"{PERMISSION_MODULE}.create"
    if "owner" in data:
        if data["owner"] is None:
            errors["owner"] = [_("Every record needs an owner.")]
        elif not data["owner"].is_active or not access.may_assign_owner(actor, permission, data["owner"]):
            errors["owner"] = [_("You cannot give records to this person.")]
    if data.get("team") is not None and not access.may_assign_team(actor, permission, data["team"]):
        errors["team"] = [_("You cannot give records to this team.")]


def _normalise_phones(entity: Entity, record, errors: dict) -> None:
    for field in entity.phone_fields:
        raw = (getattr(record, field) or "").strip()
        setattr(record, field, raw)
        normalised = to_e164(raw) if raw else ""
        if normalised is None:
            errors[field] = [_("Enter a valid phone number, e.g. +86 138 0013 8000.")]
            normalised = ""
        setattr(record, f"{field}_e164", normalised)


def _check_parent(account: Account, errors: dict) -> None:
    ancestor, seen = account.parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if account.pk and ancestor.pk == account.pk:
            errors["parent"] = [_("An account cannot be its own parent or ancestor.")]
            return
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


# --- duplicates -------------------------------------------------------------------------------


def find_duplicates(entity: Entity, record) -> list:
    """Existing records sharing a normalised email, phone or the exact name with `record`."""
    # Lower(...) = value matches the functional indexes on names and emails (iexact would scan).
    condition = models.Q(Exact(Lower(entity.name_field), getattr(record, entity.name_field).strip().lower()))
    emails = {getattr(record, field).strip().lower() for field in entity.email_fields if getattr(record, field)}
    phones = {getattr(record, f"{field}_e164") for field in entity.phone_fields if getattr(record, f"{field}_e164")}
    for field in entity.email_fields:
        if emails:  # "given" as well: the e-mail indexes hold only the given ones
            condition |= models.Q(In(Lower(field), sorted(emails))) & ~models.Q(**{field: ""})
    for field in entity.phone_fields:
        if phones:
            condition |= models.Q(**{f"{field}_e164__in": phones})
    matches = entity.model.objects.filter(condition)
    if record.pk:
        matches = matches.exclude(pk=record.pk)
    return list(matches.select_related("owner").order_by("pk")[:10])


# --- delete, restore --------------------------------------------------------------------------


def account_delete(*, actor, account: Account) -> Account:
    return record_services.record_delete(actor=actor, record=account)


def contact_delete(*, actor, contact: Contact) -> Contact:
    return record_services.record_delete(actor=actor, record=contact)


# --- merge ------------------------------------------------------------------------------------


def account_merge(*, actor, keep: Account, other: Account) -> Account:
    return _merge(ACCOUNT, actor=actor, keep=keep, other=other)


def contact_merge(*, actor, keep: Contact, other: Contact) -> Contact:
    return _merge(CONTACT, actor=actor, keep=keep, other=other)


def _merge(entity: Entity, *, actor, keep, other):
    """Fold `other` into `keep`: every related record moves over, blanks are filled, `other` is binned."""
    if keep.pk == other.pk:
        raise Refused(_("Choose two different records to merge."))
    access.require(actor, f"{PERMISSION_MODULE}.edit", keep, hide=not _can_view(actor, keep))
    access.require(actor, f"{PERMISSION_MODULE}.delete", other, hide=not _can_view(actor, other))
    with transaction.atomic():
        before = history.snapshot(keep)
        move_everything(actor=actor, source=other, target=keep)
        for field in entity.editable:
            if _is_empty(getattr(keep, field)) and not _is_empty(getattr(other, field)):
                setattr(keep, field, getattr(other, field))
        for field in entity.phone_fields:
            setattr(keep, f"{field}_e164", to_e164(getattr(keep, field)) or "")
        keep.custom = {**other.custom, **{k: v for k, v in keep.custom.items() if v not in (None, "", [])}}
        if getattr(keep, "parent_id", None) == keep.pk:
            keep.parent = None
        keep.tags.add(*other.tags.all())
        keep.version += 1
        keep.save()
        note = _("Merged “%(other)s” (#%(id)s) into this record.") % {"other": other, "id": other.pk}
        history.record(actor=actor, obj=keep, action=ChangeAction.MERGED,
                       changes=history.diff(before, history.snapshot(keep)), note=note)
        other.refresh_from_db()
        merged_note = _("Merged into “%(keep)s” (#%(id)s).") % {"keep": keep, "id": keep.pk}
        record_services.record_delete(actor=actor, record=other, note=merged_note)
        search_index.index(keep)
    return keep


def _is_empty(value) -> bool:
    return value is None or value == ""


# --- bulk writes: imports -----------------------------------------------------------------------
# Rows are validated one by one with `record_build` / `record_change` (the rules of create and
# update), then written here a batch at a time: one INSERT or UPDATE per table, never save() per row.


def records_create_many(entity: Entity, *, actor, records: list, tags_of_records: list) -> list:
    """Save new records built by `record_build`, with their tags (`tags_of_records[i]` for `records[i]`),
    a history row each and their search entries."""
    if not records:
        return records
    with transaction.atomic():
        bulk.insert_many(entity.model, records)
        link_tags(entity.model, records, tags_of_records)
        record_services.records_created(actor=actor, model=entity.model, records=records)
    return records


def records_update_many(entity: Entity, *, actor, changed: list) -> dict:
    """Save records changed by `record_change`: `changed` holds (record, snapshot before, tag names or None).

    Records whose fields did not change are left alone. Returns {pk: changes} of those saved.
    """
    retagged = [(record, names) for record, _before, names in changed if names is not None]
    changes, saved, fields = {}, [], {"version", "updated_at"}
    now = timezone.now()
    with transaction.atomic():
        if retagged:
            unlink_all_tags(entity.model, [record.pk for record, _names in retagged])
            link_tags(entity.model, [record for record, _names in retagged], [names for _record, names in retagged])
        for record, before, _names in changed:
            diff = history.diff(before, history.snapshot(record))
            if not diff:
                continue
            record.version += 1
            record.updated_at = now
            changes[record.pk] = diff
            saved.append(record)
            fields.update(key.split(".")[0] for key in diff if key != "tags")
        if saved:
            entity.model.objects.bulk_update(saved, sorted(fields))
            history.record_many(actor=actor, objects=saved, action=ChangeAction.UPDATED,
                                changes_of=lambda record: changes[record.pk])
            search_index.index_many(entity.model, list(changes))
    return changes
