"""API: activities and tasks — schema -> service or selector -> schema, with the same rules as the pages."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from rapport.core.api_input import service_data
from rapport.core.etags import IfMatchHeader, etag_of, version_from
from rapport.core.idempotency import IdempotencyKeyHeader, idempotent
from rapport.core.ids import RecordId
from rapport.core.pagination import Ordering, paginate
from rapport.core.schemas import CursorPage, CursorParam, PageSizeParam, answers
from rapport.customers.api import user_by_id, visible_account_by_id, visible_contact_by_id
from rapport.directory.models import User

from . import selectors, services
from .models import TaskStatus
from .schemas import ActivityIn, ActivityOut, ActivityPatch, TaskCompleteIn, TaskIn, TaskOut, TaskPatch

router = Router(tags=["timeline"])


def users_by_ids(actor, user_ids: list[int]) -> list[User]:
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(users) != len(set(user_ids)):
        raise ValidationError(_("There is no active user with one of these ids."))
    return users


def visible_contacts_by_ids(actor, contact_ids: list[int]) -> list:
    return [visible_contact_by_id(actor, contact_id) for contact_id in contact_ids]


ACTIVITY_RELATIONS = {"account": visible_account_by_id, "contact": visible_contact_by_id,
                      "participant_users": users_by_ids, "participant_contacts": visible_contacts_by_ids}
TASK_RELATIONS = {"assignee": user_by_id, "account": visible_account_by_id, "contact": visible_contact_by_id}


# --- activities -------------------------------------------------------------------------------


@router.get("/activities", response=answers({200: CursorPage[ActivityOut]}, 400),
            tags=["activities"], operation_id="list_activities")
def list_activities(request, account: RecordId | None = None, contact: RecordId | None = None,
                    cursor: CursorParam = None, page_size: PageSizeParam = 50):
    """Activities you may see, newest first; filter by `account=` or `contact=` id."""
    activities = selectors.activity_list(actor=request.auth, account_id=account, contact_id=contact)
    return paginate(activities, Ordering("occurred_at", descending=True), cursor=cursor, per_page=page_size)


@router.post("/activities", response=answers({201: ActivityOut}, 400, 403),
             tags=["activities"], operation_id="create_activity")
def create_activity(request, body: ActivityIn, idempotency_key: IdempotencyKeyHeader = None):
    def create() -> ActivityOut:
        data = service_data(request.auth, body, ACTIVITY_RELATIONS)
        return ActivityOut.model_validate(services.activity_create(actor=request.auth, data=data))

    return idempotent(request, idempotency_key, status=201, produce=create)


@router.get("/activities/{activity_id}", response=answers({200: ActivityOut}, 404),
            tags=["activities"], operation_id="get_activity")
def get_activity(request, activity_id: RecordId, response: HttpResponse):
    activity = selectors.activity_get(actor=request.auth, activity_id=activity_id)
    response["ETag"] = etag_of(activity)
    return activity


@router.patch("/activities/{activity_id}",
              response=answers({200: ActivityOut}, 400, 403, 404, 412),
              tags=["activities"], operation_id="update_activity")
def update_activity(request, activity_id: RecordId, body: ActivityPatch, response: HttpResponse,
                    if_match: IfMatchHeader = None):
    activity = selectors.activity_get(actor=request.auth, activity_id=activity_id)
    activity = services.activity_update(actor=request.auth, activity=activity, version=version_from(if_match, activity),
                                        data=service_data(request.auth, body, ACTIVITY_RELATIONS))
    response["ETag"] = etag_of(activity)
    return activity


@router.delete("/activities/{activity_id}", response=answers({204: None}, 403, 404),
               tags=["activities"], operation_id="delete_activity")
def delete_activity(request, activity_id: RecordId):
    activity = selectors.activity_get(actor=request.auth, activity_id=activity_id)
    services.activity_delete(actor=request.auth, activity=activity)
    return Status(204, None)


# --- tasks ------------------------------------------------------------------------------------


@router.get("/tasks", response=answers({200: CursorPage[TaskOut]}, 400),
            tags=["tasks"], operation_id="list_tasks")
def list_tasks(request, assignee: RecordId | None = None, status: TaskStatus | None = None,
               cursor: CursorParam = None, page_size: PageSizeParam = 50):
    """Tasks you may see, by due time; filter by `assignee=` user id and `status=`."""
    tasks = selectors.task_list(actor=request.auth, assignee_id=assignee, status=status or "")
    return paginate(tasks, Ordering("due_at"), cursor=cursor, per_page=page_size)


@router.post("/tasks", response=answers({201: TaskOut}, 400, 403), tags=["tasks"],
             operation_id="create_task")
def create_task(request, body: TaskIn, idempotency_key: IdempotencyKeyHeader = None):
    """Give a task to anyone; the assignee is notified in the app and by email."""

    def create() -> TaskOut:
        data = service_data(request.auth, body, TASK_RELATIONS)
        data.setdefault("assignee", request.auth)
        return TaskOut.model_validate(services.task_create(actor=request.auth, data=data))

    return idempotent(request, idempotency_key, status=201, produce=create)


@router.get("/tasks/{task_id}", response=answers({200: TaskOut}, 404), tags=["tasks"], operation_id="get_task")
def get_task(request, task_id: RecordId, response: HttpResponse):
    task = selectors.task_get(actor=request.auth, task_id=task_id)
    response["ETag"] = etag_of(task)
    return task


@router.patch("/tasks/{task_id}", response=answers({200: TaskOut}, 400, 403, 404, 412),
              tags=["tasks"], operation_id="update_task")
def update_task(request, task_id: RecordId, body: TaskPatch, response: HttpResponse, if_match: IfMatchHeader = None):
    task = selectors.task_get(actor=request.auth, task_id=task_id)
    task = services.task_update(actor=request.auth, task=task, version=version_from(if_match, task),
                                data=service_data(request.auth, body, TASK_RELATIONS))
    response["ETag"] = etag_of(task)
    return task


@router.post("/tasks/{task_id}/complete", response=answers({200: TaskOut}, 400, 403, 404, 409),
             tags=["tasks"], operation_id="complete_task")
def complete_task(request, task_id: RecordId, body: TaskCompleteIn):
    """Mark done; the outcome lands on the customer's timeline."""
    task = selectors.task_get(actor=request.auth, task_id=task_id)
    return services.task_complete(actor=request.auth, task=task, outcome=body.outcome)


@router.delete("/tasks/{task_id}", response=answers({204: None}, 403, 404),
               tags=["tasks"], operation_id="delete_task")
def delete_task(request, task_id: RecordId):
    services.task_delete(actor=request.auth, task=selectors.task_get(actor=request.auth, task_id=task_id))
    return Status(204, None)
