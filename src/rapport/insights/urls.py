from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<slug:key>/", views.report_detail, name="report_detail"),
]
