"""Links to a record's pages are what Django's reverse() gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from rapport.core.links import reverse_with_id


@pytest.mark.parametrize("prefix", ["/", "/crm/"])
def test_a_record_link_is_the_reversed_url_with_the_records_id(prefix):
    set_script_prefix(prefix)
    try:
        for pk in (1, 42, 918273645):
            assert reverse_with_id("customers:contact_detail", pk) == reverse("customers:contact_detail", args=[pk])
            assert reverse_with_id("timeline:task_detail", pk) == reverse("timeline:task_detail", args=[pk])
        assert reverse_with_id("customers:account_detail", 7) == f"{prefix}customers/accounts/7/"
    finally:
        set_script_prefix("/")


def test_a_view_without_one_integer_id_is_refused():
    with pytest.raises(NoReverseMatch):
        reverse_with_id("customers:account_list", 7)
