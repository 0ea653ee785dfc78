from django.urls import path

from . import export_views, import_views, job_views

app_name = "dataio"
urlpatterns = [
    path("jobs/", job_views.job_list, name="job_list"),
    path("exports/<slug:entity>/start", export_views.export_start, name="export_start"),
    path("exports/<int:job_id>/", export_views.export_status, name="export_status"),
    path("exports/<int:job_id>/download", export_views.export_download, name="export_download"),
    path("imports/new/<slug:entity>", import_views.import_upload, name="import_upload"),
    path("imports/<int:job_id>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:job_id>/columns", import_views.import_mapping, name="import_mapping"),
    path("imports/<int:job_id>/run", import_views.import_run, name="import_run"),
    path("imports/<int:job_id>/undo", import_views.import_undo, name="import_undo"),
    path("imports/<int:job_id>/rejected", import_views.import_rejected, name="import_rejected"),
]
