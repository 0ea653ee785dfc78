from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("incoming/", views.email_incoming, name="incoming"),
    path("to/<int:contact_id>", views.email_compose, name="compose"),
    path("<int:pk>/", views.email_detail, name="detail"),
    path("<int:pk>/file", views.email_file, name="file"),
    path("<int:pk>/discard", views.email_discard, name="discard"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
