"""API: the global search — the same selector, scope and ranking as the search page."""

from typing import Annotated

from ninja import Query, Router

from .schemas import HitGroupOut, HitOut, SearchOut
from .selectors import MAX_LIMIT, search

router = Router(tags=["search"])


@router.get("/search", response=SearchOut, summary="Search every record type",
            description="Records matching `q` that you may see, grouped by type and ranked: words match as "
                        "prefixes, Chinese text as any substring, phone numbers in any spelling or by their last "
                        "four or more digits. `types` narrows the search (`types=account,contact`); `limit` caps "
                        "each group. An unknown type is refused with 422 naming it.")
def search_records(request, q: str = Query(..., min_length=1, max_length=200),
                   types: Annotated[list[str] | None, Query()] = None, limit: int = Query(10, ge=1, le=MAX_LIMIT)):
    names = [name.strip() for value in types or () for name in value.split(",") if name.strip()]
    found = search(actor=request.auth, text=q, types=names, limit=limit)
    return SearchOut(query=q, groups=[
        HitGroupOut(type=group.type, label=str(group.label), results=[
            HitOut(type=hit.type, id=hit.id, title=hit.title, subtitle=hit.subtitle, url=hit.url)
            for hit in group.hits
        ])
        for group in found.groups
    ])
