from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("<slug:key>/lookup", views.record_lookup, name="lookup"),
]
