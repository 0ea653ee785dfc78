"""API: the global search — the same selector, scope and ranking as the search page."""

import re
from typing import Annotated

from ninja import Query, Router
from pydantic_core import core_schema

from rapport.core.schemas import answers

from .registry import search_types
from .schemas import HitGroupOut, HitOut, SearchOut
from .selectors import MAX_LIMIT, search

router = Router(tags=["search"])


class TypeNames(str):
    """A `types=` value: registered type names, comma-separated. The document lists the names registered."""

    @classmethod
    def __get_pydantic_core_schema__(cls, _source, _handler):
        return core_schema.str_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, _schema, _handler):
        name = "(" + "|".join(re.escape(search_type.name) for search_type in search_types) + ")"
        return {"type": "string", "pattern": rf"^\s*{name}\s*(,\s*{name}\s*)*$"}


@router.get("/search", response=answers({200: SearchOut}), summary="Search every record type",
            description="Records matching `q` that you may see, grouped by type and ranked: words match as "
                        "prefixes, Chinese text as any substring, phone numbers in any spelling or by their last "
                        "four or more digits. `types` narrows the search (`types=account,contact`); `limit` caps "
                        "each group. An unknown type is refused with 422 naming it.", operation_id="search")
def search_records(request, q: str = Query(..., min_length=1, max_length=200),
                   types: Annotated[list[TypeNames] | None, Query()] = None,
                   limit: int = Query(10, ge=1, le=MAX_LIMIT)):
    names = [name.strip() for value in types or () for name in value.split(",") if name.strip()]
    found = search(actor=request.auth, text=q, types=names, limit=limit)
    return SearchOut(query=q, groups=[
        HitGroupOut(type=group.type, label=str(group.label), results=[
            HitOut(type=hit.type, id=hit.id, title=hit.title, subtitle=hit.subtitle, url=hit.url)
            for hit in group.hits
        ])
        for group in found.groups
    ])
