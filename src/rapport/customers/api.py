"""API: accounts and contacts, through the record routes every record type gets (records.endpoints)."""

from ninja import Router

from rapport.records.endpoints import RecordEndpoints, add_record_routes, relations_of

from .filters import ACCOUNT_LIST, CONTACT_LIST
from .models import Account, Contact
from .schemas import AccountIn, AccountOut, AccountPatch, ContactIn, ContactOut, ContactPatch
from .selectors import account_get, account_list, contact_get, contact_list
from .services import account_create, account_delete, account_update, contact_create, contact_delete, contact_update

router = Router()

add_record_routes(router, RecordEndpoints(
    plural="accounts", singular="account", schema_in=AccountIn, schema_patch=AccountPatch, schema_out=AccountOut,
    relations=relations_of(Account, ("owner", "team", "parent")), parse_filters=ACCOUNT_LIST.parse,
    select=lambda actor, filters: account_list(actor=actor, filters=filters),
    get=lambda actor, pk: account_get(actor=actor, account_id=pk),
    create=lambda actor, data, allow: account_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: account_update(actor=actor, account=record, data=data,
                                                               version=version),
    delete=lambda actor, record: account_delete(actor=actor, account=record),
))
add_record_routes(router, RecordEndpoints(
    plural="contacts", singular="contact", schema_in=ContactIn, schema_patch=ContactPatch, schema_out=ContactOut,
    relations=relations_of(Contact, ("owner", "team", "account")), parse_filters=CONTACT_LIST.parse,
    select=lambda actor, filters: contact_list(actor=actor, filters=filters),
    get=lambda actor, pk: contact_get(actor=actor, contact_id=pk),
    create=lambda actor, data, allow: contact_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: contact_update(actor=actor, contact=record, data=data,
                                                               version=version),
    delete=lambda actor, record: contact_delete(actor=actor, contact=record),
))
