"""API: accounts and contacts, through the record routes every record type gets (records.endpoints)."""

from ninja import Router

from rapport.records.endpoints import RecordEndpoints, add_record_routes, relations_of

from .filters import ACCOUNT_LIST, CONTACT_LIST
from .models import Account, Contact
from .operations import ACCOUNT_OPERATIONS, CONTACT_OPERATIONS
from .schemas import AccountIn, AccountOut, AccountPatch, ContactIn, ContactOut, ContactPatch

router = Router()

add_record_routes(router, RecordEndpoints(
    plural="accounts", singular="account", schema_in=AccountIn, schema_patch=AccountPatch, schema_out=AccountOut,
    relations=relations_of(Account, ("owner", "team", "parent")), list=ACCOUNT_LIST, operations=ACCOUNT_OPERATIONS,
))
add_record_routes(router, RecordEndpoints(
    plural="contacts", singular="contact", schema_in=ContactIn, schema_patch=ContactPatch, schema_out=ContactOut,
    relations=relations_of(Contact, ("owner", "team", "account")), list=CONTACT_LIST, operations=CONTACT_OPERATIONS,
))
