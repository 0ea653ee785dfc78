"""`array_has`: does a JSON array (e.g. a multi-choice custom field) contain a value — on SQLite and PostgreSQL."""

import json

from django.db.models import Lookup
from django.db.models.fields.json import KeyTransform


@KeyTransform.register_lookup
class ArrayHas(Lookup):
    lookup_name = "array_has"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"({lhs}) @> %s::jsonb", (*lhs_params, json.dumps([self.rhs]))
        return f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)", (*lhs_params, self.rhs)
