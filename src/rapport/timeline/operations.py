"""How the shared record pages and API routes reach activities and tasks."""

from rapport.records.operations import RecordOperations

from . import selectors, services

ACTIVITY_OPERATIONS = RecordOperations(
    select=lambda actor, filters: selectors.activity_list(actor=actor, filters=filters),
    get=lambda actor, pk, action="view": selectors.activity_get(actor=actor, activity_id=pk, action=action),
    create=lambda actor, data, _allow_duplicates: services.activity_create(actor=actor, data=data),
    update=lambda actor, record, data, version: services.activity_update(actor=actor, activity=record, data=data,
                                                                         version=version),
    delete=lambda actor, record: services.activity_delete(actor=actor, activity=record),
)
TASK_OPERATIONS = RecordOperations(
    select=lambda actor, filters: selectors.task_list(actor=actor, filters=filters),
    get=lambda actor, pk, action="view": selectors.task_get(actor=actor, task_id=pk, action=action),
    create=lambda actor, data, _allow_duplicates: services.task_create(actor=actor, data=data),
    update=lambda actor, record, data, version: services.task_update(actor=actor, task=record, data=data,
                                                                     version=version),
    delete=lambda actor, record: services.task_delete(actor=actor, task=record),
)
