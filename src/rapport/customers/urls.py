from rapport.records.views import record_urls

from .views import ACCOUNTS, CONTACTS

app_name = "customers"

urlpatterns = [*record_urls("accounts", ACCOUNTS), *record_urls("contacts", CONTACTS)]
