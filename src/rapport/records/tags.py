"""Tags on any record type whose model has a `tags` many-to-many field: names cleaned one way,
tags made on first use, and links written a batch at a time."""

from django.db import models


def has_tags(model: type[models.Model]) -> bool:
    return any(field.name == "tags" and field.many_to_many for field in model._meta.get_fields())


def tag_names(names) -> list[str]:
    """Trimmed, at most 50 characters, without blanks or repeats, sorted."""
    return sorted({str(name).strip()[:50] for name in names if str(name).strip()})


def tags_named(model: type[models.Model], names) -> list:
    """The tags of these names for records of `model`, made if new."""
    cleaned = tag_names(names)
    if not cleaned:
        return []
    tag_model = model._meta.get_field("tags").related_model
    existing = set(tag_model.objects.filter(name__in=cleaned).values_list("name", flat=True))
    tag_model.objects.bulk_create([tag_model(name=name) for name in cleaned if name not in existing],
                                  ignore_conflicts=True)
    return list(tag_model.objects.filter(name__in=cleaned))


def link_tags(model: type[models.Model], records: list, names_of_records: list) -> None:
    """Add tags to saved records: `names_of_records[i]` (names, or None for none) to `records[i]`."""
    tags = {tag.name: tag for tag in tags_named(model, {name for names in names_of_records if names
                                                         for name in names})}
    links = []
    for record, names in zip(records, names_of_records, strict=True):
        record_tags = [tags[name] for name in tag_names(names or ())]
        # A history snapshot taken next reads the tags from here instead of one query per record.
        record._prefetched_objects_cache = {**getattr(record, "_prefetched_objects_cache", {}), "tags": record_tags}
        links += [_link(model, record.pk, tag.pk) for tag in record_tags]
    model.tags.through.objects.bulk_create(links, ignore_conflicts=True)


def unlink_all_tags(model: type[models.Model], ids: list[int]) -> None:
    record_column = model._meta.get_field("tags").m2m_field_name()
    model.tags.through.objects.filter(**{f"{record_column}_id__in": ids}).delete()


def _link(model, record_id: int, tag_id: int):
    field = model._meta.get_field("tags")
    return model.tags.through(**{f"{field.m2m_field_name()}_id": record_id,
                                 f"{field.m2m_reverse_field_name()}_id": tag_id})
