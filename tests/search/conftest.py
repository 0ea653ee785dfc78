"""Records made through the services, as every entry path makes them, so the index follows."""

import pytest

from rapport.customers import services
from rapport.search.selectors import search

from ..api.conftest import api_as, rep_api  # noqa: F401 - the API tests' callers, for test_api.py


def found(actor, text: str, **options) -> list[str]:
    """The titles `actor` finds for `text`, in the order shown."""
    return [hit.title for hit in search(actor=actor, text=text, **options).hits]


@pytest.fixture
def make_account(admin_user):
    def make(name: str, owner, **data):
        return services.account_create(actor=admin_user, data={"name": name, "owner": owner, "team": owner.team,
                                                               **data}, allow_duplicates=True)

    return make


@pytest.fixture
def make_contact(admin_user):
    def make(full_name: str, owner, **data):
        return services.contact_create(actor=admin_user, data={"full_name": full_name, "owner": owner,
                                                               "team": owner.team, **data}, allow_duplicates=True)

    return make
