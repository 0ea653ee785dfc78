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
