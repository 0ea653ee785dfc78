"""Two customers merging: every module moves its records over as it registered, with their history and
search entries, and nothing is left pointing at the one merged away."""

import pytest
from django.contrib.contenttypes.models import ContentType

from rapport.audit.history import history_of
from rapport.customers import services
from rapport.customers.models import Account, Contact
from rapport.search.selectors import search
from rapport.timeline import services as timeline
from rapport.timeline.models import Activity, Comment, Task, TimelineEntry

from ..factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def references_to(record) -> dict[str, int]:
    """Rows of every table that still point at `record` by a foreign key, hidden ones included."""
    found = {}
    for relation in type(record)._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.one_to_many:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: record}).count()
            if rows:
                found[relation.related_model._meta.label] = rows
    return found


def test_an_accounts_story_moves_to_the_account_kept(rep, other_rep, manager):
    keep, other = AccountFactory(owner=rep, name="Acme"), AccountFactory(owner=other_rep, name="ACME Inc")
    contact = ContactFactory(owner=other_rep, account=other)
    call = timeline.activity_create(actor=other_rep, data={"kind": "call", "subject": "Price talk", "account": other})
    task = timeline.task_create(actor=other_rep, data={"title": "Send the catalogue", "account": other})
    timeline.comment_add(actor=other_rep, target=other, body="Big customer")
    assert search(actor=rep, text="catalogue").hits == []

    services.account_merge(actor=manager, keep=keep, other=other)

    assert references_to(other) == {}
    for record in (contact, call, task):
        record.refresh_from_db()
        assert record.account == keep
        assert history_of(record).first().changes == {"account": ["ACME Inc", "Acme"]}
    lines = {entry.shown_title for entry in TimelineEntry.objects.filter(account=keep)}
    assert lines == {"Price talk", "Send the catalogue", "Wang Fang commented on ACME Inc", "account: ACME Inc → Acme"}
    assert Comment.objects.get().object_id == keep.pk
    # rep owns the kept account, so now finds what came with it
    assert [hit.title for hit in search(actor=rep, text="catalogue").hits] == ["Send the catalogue"]


def test_a_contacts_activities_tasks_and_meetings_move_to_the_contact_kept(rep):
    account = AccountFactory(owner=rep)
    keep, other = ContactFactory(owner=rep, account=account), ContactFactory(owner=rep, account=account)
    meeting = timeline.activity_create(actor=rep, data={"kind": "meeting", "subject": "Kick-off", "contact": other,
                                                        "participant_contacts": [other, keep]})
    timeline.task_create(actor=rep, data={"title": "Call back", "contact": other})
    services.contact_merge(actor=rep, keep=keep, other=other)
    assert references_to(other) == {}
    assert list(meeting.participant_contacts.all()) == [keep]
    assert Activity.objects.get().contact == keep and Task.objects.get().contact == keep
    assert not Comment.objects.filter(content_type=ContentType.objects.get_for_model(Contact)).exists()
    assert Account.objects.count() == 1
