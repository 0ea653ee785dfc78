"""Shared fixtures: the people of a small sales organisation, as in the demo data."""

import pytest
from django.conf import settings

from rapport.access.scopes import Scope

from .factories import PASSWORD, TeamFactory, UserFactory, role_with


def pytest_configure(config):
    # Tests log in hundreds of times; Django's production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing remembered: ids come round again when a test's rows roll back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def sales_team(db):
    return TeamFactory(name="Sales East")


@pytest.fixture
def rep_role(db):
    return role_with("Sales rep", view=Scope.OWN, create=Scope.OWN, edit=Scope.OWN, delete=Scope.OWN)


@pytest.fixture
def manager(db, sales_team, rep_role):
    return UserFactory(username="manager", display_name="Mia Manager", role=rep_role, team=sales_team)


@pytest.fixture
def rep(db, sales_team, rep_role, manager):
    return UserFactory(username="rep1", display_name="Ray Rep", role=rep_role, team=sales_team, manager=manager)


@pytest.fixture
def other_rep(db, sales_team, rep_role, manager):
    return UserFactory(username="rep2", display_name="Wang Fang", role=rep_role, team=sales_team, manager=manager)


@pytest.fixture
def agent(db):
    role = role_with("Service agent", view=Scope.ALL, create=Scope.ALL, edit=Scope.ALL)
    return UserFactory(username="agent", role=role, team=TeamFactory(name="Service"))


@pytest.fixture
def marketer(db):
    role = role_with("Marketer", view=Scope.ALL, export=Scope.ALL)
    return UserFactory(username="marketer", role=role)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django sends to it; `.messages` holds what arrived."""
    import email
    import socket
    from email import policy

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted for delivery"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
    }}
    yield inbox
    controller.stop()
