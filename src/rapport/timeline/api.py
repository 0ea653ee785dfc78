"""API: activities and tasks, through the record routes every record type gets (records.endpoints),
and completing a task."""

from ninja import Router

from rapport.core.ids import RecordId
from rapport.core.schemas import answers
from rapport.records.endpoints import RecordEndpoints, add_record_routes, relations_of

from . import selectors, services
from .filters import ACTIVITY_LIST, TASK_LIST
from .models import Activity, Task
from .operations import ACTIVITY_OPERATIONS, TASK_OPERATIONS
from .schemas import ActivityIn, ActivityOut, ActivityPatch, TaskCompleteIn, TaskIn, TaskOut, TaskPatch

router = Router(tags=["timeline"])

add_record_routes(router, RecordEndpoints(
    plural="activities", singular="activity", schema_in=ActivityIn, schema_patch=ActivityPatch,
    schema_out=ActivityOut, list=ACTIVITY_LIST, operations=ACTIVITY_OPERATIONS,
    relations=relations_of(Activity, ("account", "contact", "participant_users", "participant_contacts")),
))
add_record_routes(router, RecordEndpoints(
    plural="tasks", singular="task", schema_in=TaskIn, schema_patch=TaskPatch, schema_out=TaskOut,
    relations=relations_of(Task, ("assignee", "account", "contact")), list=TASK_LIST, operations=TASK_OPERATIONS,
))


@router.post("/tasks/{task_id}/complete", response=answers({200: TaskOut}, 400, 403, 404, 409),
             tags=["tasks"], operation_id="complete_task")
def complete_task(request, task_id: RecordId, body: TaskCompleteIn):
    """Mark done; the outcome lands on the customer's timeline."""
    task = selectors.task_get(actor=request.auth, task_id=task_id)
    return services.task_complete(actor=request.auth, task=task, outcome=body.outcome)
