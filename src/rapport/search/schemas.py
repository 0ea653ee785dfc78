from ninja import Schema


class HitOut(Schema):
    type: str
    id: int
    title: str
    subtitle: str
    url: str


class HitGroupOut(Schema):
    type: str
    label: str
    results: list[HitOut]


class SearchOut(Schema):
    query: str
    groups: list[HitGroupOut]
