from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("timeline/<str:kind>/<int:pk>/", views.timeline_entries, name="entries"),
    path("activities/new", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete", views.activity_delete, name="activity_delete"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/new", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit", views.task_edit, name="task_edit"),
    path("comments/<int:content_type_id>/<int:pk>/", views.comment_add, name="comment_add"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
    path("calendar/", views.calendar_week, name="calendar"),
    path("calendar/feed", views.calendar_feed_manage, name="calendar_feed_manage"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar_feed"),
]

# Email on the timeline (timeline/email_views.py, services in timeline/email.py).
from . import email_views  # noqa: E402 - appended below the existing routes on purpose

urlpatterns += [
    path("emails/incoming/", email_views.email_incoming, name="email_incoming"),
    path("emails/to/<int:contact_id>", email_views.email_compose, name="email_compose"),
    path("emails/<int:pk>/", email_views.email_detail, name="email_detail"),
    path("emails/<int:pk>/file", email_views.email_file, name="email_file"),
    path("emails/<int:pk>/discard", email_views.email_discard, name="email_discard"),
    path("emails/attachments/<int:pk>/", email_views.attachment_download, name="email_attachment"),
]
