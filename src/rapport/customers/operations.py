"""How the shared record pages and API routes reach accounts and contacts."""

from rapport.records.operations import RecordOperations

from . import selectors, services

ACCOUNT_OPERATIONS = RecordOperations(
    select=lambda actor, filters: selectors.account_list(actor=actor, filters=filters),
    get=lambda actor, pk, action="view": selectors.account_get(actor=actor, account_id=pk, action=action),
    create=lambda actor, data, allow: services.account_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: services.account_update(actor=actor, account=record, data=data,
                                                                        version=version),
    delete=lambda actor, record: services.account_delete(actor=actor, account=record),
)
CONTACT_OPERATIONS = RecordOperations(
    select=lambda actor, filters: selectors.contact_list(actor=actor, filters=filters),
    get=lambda actor, pk, action="view": selectors.contact_get(actor=actor, contact_id=pk, action=action),
    create=lambda actor, data, allow: services.contact_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: services.contact_update(actor=actor, contact=record, data=data,
                                                                        version=version),
    delete=lambda actor, record: services.contact_delete(actor=actor, contact=record),
)
