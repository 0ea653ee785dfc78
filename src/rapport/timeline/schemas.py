"""The API's view of activities and tasks. In/Patch schemas refuse fields they do not name."""

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from rapport.core.api_rules import CUSTOM_DESCRIPTION, CUSTOM_RULE, model_rules
from rapport.core.ids import RecordId

from .models import Activity, ActivityKind, Task, TaskPriority


class ActivityPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=model_rules(
        Activity, {"place": "Required when the activity is a visit.", "custom": CUSTOM_RULE}))

    kind: ActivityKind = ActivityKind.CALL
    subject: str = ""
    body: str = ""
    # Not nullable: an activity always happened at some time; left out, it is the time of the request.
    occurred_at: datetime.datetime = Field(None, description="When it happened; now when left out.")
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60)
    outcome: str = ""
    place: str = ""
    check_in: bool = Field(False, description="For a visit: record now as the time of arrival.")
    account: RecordId | None = Field(None, description="The account's id.")
    contact: RecordId | None = Field(None, description="The contact's id; the account follows from it.")
    participant_users: list[RecordId] = Field(default_factory=list, description="Colleagues present (user ids).")
    participant_contacts: list[RecordId] = Field(default_factory=list, description="Customer participants (ids).")
    custom: dict[str, Any] = Field(default_factory=dict, description=CUSTOM_DESCRIPTION)


class ActivityIn(ActivityPatch):
    subject: str


class ActivityOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    occurred_at: datetime.datetime
    duration_minutes: int | None
    outcome: str
    place: str
    checked_in_at: datetime.datetime | None
    author: int
    author_department: str
    account: int | None
    contact: int | None
    participant_users: list[int]
    participant_contacts: list[int]
    custom: dict[str, Any]
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(activity: Activity) -> int:
        return activity.owner_id

    @staticmethod
    def resolve_account(activity: Activity) -> int | None:
        return activity.account_id

    @staticmethod
    def resolve_contact(activity: Activity) -> int | None:
        return activity.contact_id

    @staticmethod
    def resolve_participant_users(activity: Activity) -> list[int]:
        return [user.pk for user in activity.participant_users.all()]

    @staticmethod
    def resolve_participant_contacts(activity: Activity) -> list[int]:
        return [contact.pk for contact in activity.participant_contacts.all()]


class TaskPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=model_rules(Task, {"custom": CUSTOM_RULE}))

    title: str = ""
    description: str = ""
    assignee: RecordId | None = Field(None, description="The user id of who should do it; by default the caller.")
    due_at: datetime.datetime | None = None
    priority: TaskPriority = TaskPriority.NORMAL
    remind_minutes_before: int | None = Field(None, ge=0, le=60 * 24 * 30)
    account: RecordId | None = None
    contact: RecordId | None = None
    custom: dict[str, Any] = Field(default_factory=dict, description=CUSTOM_DESCRIPTION)


class TaskIn(TaskPatch):
    title: str


class TaskCompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=model_rules(Task))

    outcome: str = ""


class TaskOut(Schema):
    id: int
    title: str
    description: str
    assignee: int
    created_by: int
    due_at: datetime.datetime | None
    priority: str
    status: str
    completed_at: datetime.datetime | None
    outcome: str
    remind_minutes_before: int | None
    account: int | None
    contact: int | None
    custom: dict[str, Any]
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_assignee(task: Task) -> int:
        return task.assignee_id

    @staticmethod
    def resolve_created_by(task: Task) -> int:
        return task.owner_id

    @staticmethod
    def resolve_account(task: Task) -> int | None:
        return task.account_id

    @staticmethod
    def resolve_contact(task: Task) -> int | None:
        return task.contact_id
