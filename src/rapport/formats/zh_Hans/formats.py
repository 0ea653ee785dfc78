"""Simplified Chinese as Django writes it, but money grouped by thousands with commas (1,450,000 CNY), as
Chinese invoices, banks and ERPs write amounts; Django's own zh_Hans groups nothing."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403 - every other format as Django has it

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
