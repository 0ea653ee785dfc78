from django.urls import path

from . import views
from .views import ACCOUNTS, CONTACTS

app_name = "customers"


def entity_urls(prefix: str, plural: str, pages) -> list:
    return [
        path(f"{plural}/", views.record_list, {"pages": pages}, name=f"{prefix}_list"),
        path(f"{plural}/new", views.record_create, {"pages": pages}, name=f"{prefix}_create"),
        path(f"{plural}/bulk", views.bulk_action, {"pages": pages}, name=f"{prefix}_bulk"),
        path(f"{plural}/views", views.saved_view_create, {"pages": pages}, name=f"{prefix}_view_save"),
        path(f"{plural}/views/<int:view_id>/delete", views.saved_view_delete, {"pages": pages},
             name=f"{prefix}_view_delete"),
        path(f"{plural}/<int:pk>/", views.record_detail, {"pages": pages}, name=f"{prefix}_detail"),
        path(f"{plural}/<int:pk>/edit", views.record_edit, {"pages": pages}, name=f"{prefix}_edit"),
        path(f"{plural}/<int:pk>/delete", views.record_delete, {"pages": pages}, name=f"{prefix}_delete"),
        path(f"{plural}/<int:pk>/merge", views.record_merge, {"pages": pages}, name=f"{prefix}_merge"),
    ]


urlpatterns = [
    *entity_urls("account", "accounts", ACCOUNTS),
    *entity_urls("contact", "contacts", CONTACTS),
    path("accounts/lookup", views.account_lookup, name="account_lookup"),
]
