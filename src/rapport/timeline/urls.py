from django.urls import path

from rapport.records.views import record_urls

from . import views

app_name = "timeline"

urlpatterns = [
    path("timeline/<str:kind>/<int:pk>/", views.timeline_entries, name="entries"),
    *record_urls("activities", views.ACTIVITIES),
    path("tasks/", views.my_tasks, name="my_tasks"),
    *record_urls("tasks", views.TASKS, list_route="all/"),
    path("tasks/<int:pk>/complete", views.task_complete, name="task_complete"),
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
