from django.contrib import admin
from django.urls import include, path

from rapport.api import api
from rapport.audit import views as audit_views
from rapport.core import views as core_views

handler404 = "rapport.core.views.page_not_found"
handler500 = "rapport.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health", core_views.health, name="health"),
    path("", include("rapport.directory.urls")),
    path("customers/", include("rapport.customers.urls")),
    path("records/", include("rapport.records.urls")),
    path("reports/", include("rapport.insights.urls")),
    path("search/", include("rapport.search.urls")),
    path("", include("rapport.timeline.urls")),
    path("emails/", include("rapport.mail.urls")),
    path("data/", include("rapport.dataio.urls")),
    path("recycle-bin/", audit_views.recycle_bin, name="recycle_bin"),
    path("recycle-bin/<str:kind>/<int:record_id>/restore", audit_views.restore, name="recycle_restore"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
