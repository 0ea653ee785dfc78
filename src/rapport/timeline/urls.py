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
