"""What the insights app adds to the menu and to every record list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rapport.core.extensions import NavEntry, navigation
from rapport.records.pages import ListLink, list_links

from . import selectors


def register_all() -> None:
    navigation.register("reports", NavEntry(_("Reports"), "insights:report_list",
                                            visible=lambda user: bool(selectors.reports_for(user))), order=80)
    list_links.register("reports", _charts_of_the_list, order=10)


def _charts_of_the_list(user, pages, query: str) -> list[ListLink]:
    """On a list: its reports, over the records the list shows now."""
    return [ListLink(report.title, f"{reverse('insights:report_detail', args=[key])}?{query}")
            for key, report in selectors.reports_for(user) if report.pages is pages]
