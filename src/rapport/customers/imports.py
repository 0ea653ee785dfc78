"""Accounts and contacts as importable entities: their fields with the header names of legacy files,
their duplicate keys, and validation and writes through the customers services.

Every row is validated by `services.record_build` / `record_change` — the rules of the forms and the
API — and the valid rows of a batch are saved by `services.records_create_many` / `records_update_many`.
"""

import datetime
import re
from decimal import Decimal

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport import access
from rapport.audit import history
from rapport.core.errors import Refused
from rapport.core.phones import to_e164
from rapport.dataio import imports
from rapport.dataio.cells import BOOL, CHOICE, DATE, DECIMAL, INTEGER, LIST
from rapport.dataio.imports import DuplicateKey, ImportField
from rapport.records import custom_fields
from rapport.records import services as record_services

from . import services
from .models import Account, Channel, Contact, LifecycleStage, Rating, Source

CJK = re.compile(r"[\u3400-\u9fff]")

EMAIL_ALIASES = ("email", "e-mail", "mail", "email address", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址")
OTHER_EMAIL_ALIASES = ("other email", "secondary email", "email 2", "其他邮箱", "备用邮箱")
EXTERNAL_ID_ALIASES = ("external id", "id", "code", "erp id", "legacy id", "编号", "外部编号", "原系统编号")
TAG_ALIASES = ("tags", "tag", "labels", "标签")

ACCOUNT_FIELDS = (
    ImportField("name", gettext_lazy("name"), required=True, aliases=(
        "account", "account name", "company", "company name", "organisation", "organization", "customer",
        "customer name", "名称", "公司名称", "客户名称", "公司", "企业名称", "单位名称", "客户", "客户全称")),
    ImportField("external_id", gettext_lazy("external id"), aliases=(
        *EXTERNAL_ID_ALIASES, "account id", "customer id", "customer code", "客户编号", "公司编号", "客户代码")),
    ImportField("legal_name", gettext_lazy("legal name"), aliases=("legal name", "registered name", "法定名称",
                                                                  "工商注册名称", "注册名称")),
    ImportField("industry", gettext_lazy("industry"), aliases=("industry", "sector", "行业", "所属行业")),
    ImportField("sic_code", gettext_lazy("SIC code"), aliases=("sic", "sic code", "行业代码")),
    ImportField("employees", gettext_lazy("employees"), INTEGER, aliases=(
        "employees", "staff", "headcount", "number of employees", "员工人数", "人数", "员工数", "员工")),
    ImportField("annual_revenue", gettext_lazy("annual revenue"), DECIMAL, aliases=(
        "revenue", "annual revenue", "turnover", "年营业额", "年收入", "营业额", "年销售额")),
    ImportField("currency", gettext_lazy("currency"), aliases=("currency", "币种", "货币")),
    ImportField("website", gettext_lazy("website"), aliases=("website", "web", "url", "homepage", "web site",
                                                             "网站", "网址", "主页", "公司网站")),
    ImportField("phone", gettext_lazy("phone"), aliases=("phone", "telephone", "tel", "phone number", "电话",
                                                         "联系电话", "公司电话", "座机", "总机")),
    ImportField("other_phone", gettext_lazy("other phone"), aliases=("other phone", "phone 2", "fax", "其他电话",
                                                                     "备用电话", "传真")),
    ImportField("email", gettext_lazy("email"), aliases=EMAIL_ALIASES),
    ImportField("other_email", gettext_lazy("other email"), aliases=OTHER_EMAIL_ALIASES),
    ImportField("billing_country", gettext_lazy("billing country"), aliases=("country", "国家", "国家/地区")),
    ImportField("billing_province", gettext_lazy("billing province/state"), aliases=(
        "province", "state", "region", "省份", "省", "省/州", "所在省份")),
    ImportField("billing_city", gettext_lazy("billing city"), aliases=("city", "town", "城市", "市", "所在城市")),
    ImportField("billing_street", gettext_lazy("billing street"), aliases=(
        "address", "street", "street address", "地址", "详细地址", "街道", "公司地址", "办公地址")),
    ImportField("billing_postcode", gettext_lazy("billing postcode"), aliases=(
        "postcode", "zip", "zip code", "postal code", "邮编", "邮政编码")),
    ImportField("shipping_country", gettext_lazy("shipping country"), aliases=("shipping country", "收货国家")),
    ImportField("shipping_province", gettext_lazy("shipping province/state"), aliases=(
        "shipping province", "shipping state", "收货省份")),
    ImportField("shipping_city", gettext_lazy("shipping city"), aliases=("shipping city", "收货城市")),
    ImportField("shipping_street", gettext_lazy("shipping street"), aliases=(
        "shipping address", "shipping street", "delivery address", "收货地址", "送货地址")),
    ImportField("shipping_postcode", gettext_lazy("shipping postcode"), aliases=("shipping postcode", "收货邮编")),
    ImportField("lifecycle_stage", gettext_lazy("lifecycle stage"), CHOICE, choices=tuple(LifecycleStage.choices),
                aliases=("lifecycle stage", "stage", "status", "customer status", "阶段", "客户阶段", "客户状态")),
    ImportField("source", gettext_lazy("source"), CHOICE, choices=tuple(Source.choices),
                aliases=("source", "lead source", "来源", "客户来源")),
    ImportField("rating", gettext_lazy("rating"), CHOICE, choices=tuple(Rating.choices),
                aliases=("rating", "评级", "客户评级", "热度")),
    ImportField("tags", gettext_lazy("tags"), LIST, aliases=TAG_ALIASES),
)

CONTACT_FIELDS = (
    ImportField("full_name", gettext_lazy("full name"), aliases=(
        "name", "full name", "contact", "contact name", "person", "姓名", "名称", "联系人", "联系人姓名", "名字",
        "客户姓名")),
    ImportField("external_id", gettext_lazy("external id"), aliases=(
        *EXTERNAL_ID_ALIASES, "contact id", "联系人编号")),
    ImportField("given_name", gettext_lazy("given name"), aliases=("given name", "first name", "forename", "名")),
    ImportField("family_name", gettext_lazy("family name"), aliases=("family name", "last name", "surname", "姓")),
    ImportField("title", gettext_lazy("title"), aliases=("title", "job title", "position", "role", "职位", "职务",
                                                         "头衔", "岗位")),
    ImportField("department", gettext_lazy("department"), aliases=("department", "dept", "部门", "所属部门")),
    ImportField("account_name", gettext_lazy("account name"), aliases=(
        "account", "account name", "company", "company name", "organisation", "organization", "employer",
        "所属公司", "公司", "公司名称", "客户名称", "单位", "工作单位", "所属客户", "所属单位", "企业名称")),
    ImportField("account_external_id", gettext_lazy("account external id"), aliases=(
        "account external id", "account id", "company id", "account code", "公司编号", "客户编号", "所属公司编号")),
    ImportField("mobile_phone", gettext_lazy("mobile phone"), aliases=(
        "mobile", "mobile phone", "cell", "cellphone", "cell phone", "手机", "手机号", "手机号码", "移动电话")),
    ImportField("work_phone", gettext_lazy("work phone"), aliases=(
        "phone", "work phone", "office phone", "telephone", "tel", "business phone", "电话", "办公电话", "工作电话",
        "座机", "联系电话", "公司电话")),
    ImportField("email", gettext_lazy("email"), aliases=EMAIL_ALIASES),
    ImportField("other_email", gettext_lazy("other email"), aliases=OTHER_EMAIL_ALIASES),
    ImportField("preferred_channel", gettext_lazy("preferred channel"), CHOICE, choices=tuple(Channel.choices),
                aliases=("preferred channel", "channel", "首选联系方式", "联系方式偏好")),
    ImportField("marketing_consent", gettext_lazy("marketing consent"), BOOL, aliases=(
        "marketing consent", "consent", "opt in", "opt-in", "subscribed", "营销同意", "同意营销", "订阅", "接收营销")),
    ImportField("birthday", gettext_lazy("birthday"), DATE, aliases=(
        "birthday", "date of birth", "dob", "birth date", "生日", "出生日期", "出生年月日")),
    ImportField("tags", gettext_lazy("tags"), LIST, aliases=TAG_ALIASES),
)

class CustomerImport(imports.Importable):
    """Accounts or contacts: the fields above plus the active custom fields, through the services."""

    permission_module = services.PERMISSION_MODULE

    def __init__(self, *, entity: services.Entity, name: str, label, list_url_name: str, fields: tuple,
                 update, loaded: tuple[str, ...] = ()):
        self.entity, self.model, self.name, self.label = entity, entity.model, name, label
        self.list_url_name, self._fields, self._update, self._loaded = list_url_name, fields, update, loaded
        self.duplicate_keys = {
            "email": DuplicateKey(gettext_lazy("email"), entity.email_fields, _email_values(entity),
                                  _find_lower(entity, entity.email_fields)),
            "phone": DuplicateKey(gettext_lazy("phone"), entity.phone_fields, _phone_values(entity),
                                  _find_exact(entity, tuple(f"{field}_e164" for field in entity.phone_fields))),
            "external_id": DuplicateKey(gettext_lazy("external id"), ("external_id",), _external_id_values,
                                        _find_exact(entity, ("external_id",))),
            "name": DuplicateKey(gettext_lazy("name"), (entity.name_field,), _name_values(entity),
                                 _find_lower(entity, (entity.name_field,))),
        }

    def fields(self) -> list[ImportField]:
        return [*self._fields, *imports.custom_import_fields(self.entity.key)]

    def begin(self, context) -> None:
        context.state["definitions"] = custom_fields.definitions_for(self.entity.key)

    def build(self, context, row) -> None:
        row.record, row.tags = services.record_build(
            self.entity, actor=context.actor, data=row.data, custom_definitions=context.state["definitions"],
            loaded=self._loaded,
        )

    def lock(self, ids: list[int]) -> dict:
        related = ("owner", "team", "account") if self.model is Contact else ("owner", "team", "parent")
        return (self.model.objects.select_for_update(of=("self",)).select_related(*related)
                .prefetch_related("tags").in_bulk(ids))

    def change(self, context, row, record) -> None:
        row.before = history.snapshot(record)
        row.previous = _raw_values(record, row.data)
        row.tags = services.record_change(self.entity, actor=context.actor, record=record, data=row.data,
                                          custom_definitions=context.state["definitions"], loaded=self._loaded)
        row.record = record

    def create_many(self, context, rows) -> None:
        services.records_create_many(self.entity, actor=context.actor, records=[row.record for row in rows],
                                     tags_of_records=[row.tags for row in rows])

    def update_many(self, context, rows) -> dict:
        return services.records_update_many(self.entity, actor=context.actor,
                                            changed=[(row.record, row.before, row.tags) for row in rows])

    def delete_created(self, actor, ids: list[int]) -> int:
        return record_services.records_delete(actor=actor, model=self.entity.model, ids=ids)

    def restore_updated(self, actor, record, before: dict, version: int) -> None:
        self._update(actor, record, _restored_data(record, before), version)


class ContactImport(CustomerImport):
    def check_mapping(self, keys: set[str], options) -> list[str]:
        if not options.updates and not keys & {"full_name", "given_name", "family_name"}:
            return [_("Choose a column for the full name (or the given and family names).")]
        return super().check_mapping(keys, options)

    def resolve(self, context, rows) -> None:
        """Full names from given and family names; accounts by external id or name, one query each."""
        wanted_ids = {row.data["account_external_id"] for row in rows if row.data.get("account_external_id")}
        wanted_names = {row.data["account_name"] for row in rows if row.data.get("account_name")}
        by_external_id = _accounts_by(context.actor, "external_id", wanted_ids)
        by_name = _accounts_named(context.actor, wanted_names)
        for row in rows:
            data = row.data
            if not data.get("full_name") and (data.get("given_name") or data.get("family_name")):
                data["full_name"] = _full_name(data.get("given_name", ""), data.get("family_name", ""))
            if data.get("marketing_consent") and not data.get("consent_method"):
                data["consent_method"] = "import"
            external_id, name = data.pop("account_external_id", ""), data.pop("account_name", "")
            if external_id:
                found = by_external_id.get(external_id, [])
                if not found:
                    row.reject(_("No account with external id “%(id)s” was found; import the accounts first.")
                               % {"id": external_id})
                elif len(found) > 1:
                    row.reject(_("Several accounts have external id “%(id)s”.") % {"id": external_id})
                else:
                    data["account"] = found[0]
            elif name:
                found = by_name.get(name.lower(), [])
                if not found:
                    row.reject(_("No account named “%(name)s” was found; import the accounts first, or check the "
                                 "spelling.") % {"name": name})
                elif len(found) > 1:
                    row.reject(_("Several accounts are named “%(name)s”; give the account's external id instead.")
                               % {"name": name})
                else:
                    data["account"] = found[0]


def _accounts_by(actor, column: str, values: set[str], **annotations) -> dict[str, list[Account]]:
    """Live accounts the actor may see whose `column` is one of `values`, by that value.

    The deleted_at filter is applied here, not in SQL: without statistics SQLite would walk the
    deleted_at index instead of the one that finds the values.
    """
    found: dict[str, list[Account]] = {}
    if values:
        accounts = Account.all_objects.annotate(**annotations)
        visible = access.visible_to(actor, accounts).select_related("owner").order_by()
        for account in visible.filter(**{f"{column}__in": values}):
            if account.deleted_at is None:
                found.setdefault(getattr(account, column), []).append(account)
    return found


def _accounts_named(actor, names: set[str]) -> dict[str, list[Account]]:
    """Accounts by lower-cased name: the exact spelling (indexed) wins; other spellings are matched
    ignoring case."""
    found = {name.lower(): accounts for name, accounts in _accounts_by(actor, "name", names).items()}
    if missing := {name.lower() for name in names} - set(found):
        found.update(_accounts_by(actor, "lower_name", missing, lower_name=Lower("name")))
    return found


def _full_name(given: str, family: str) -> str:
    if CJK.search(given + family):
        return f"{family}{given}"  # 张 + 伟 -> 张伟
    return " ".join(part for part in (given, family) if part)


# --- duplicate keys ---------------------------------------------------------------------------------


def _email_values(entity):
    return lambda data: [str(data[field]).strip().lower() for field in entity.email_fields if data.get(field)]


def _phone_values(entity):
    return lambda data: [to_e164(str(data[field])) or "" for field in entity.phone_fields if data.get(field)]


def _external_id_values(data) -> list[str]:
    return [str(data["external_id"]).strip()] if data.get("external_id") else []


def _name_values(entity):
    return lambda data: [str(data[entity.name_field]).strip().lower()] if data.get(entity.name_field) else []


def _find_exact(entity, columns: tuple[str, ...]):
    def find(values: set[str]) -> dict[str, int]:
        return _first_live_matches([entity.model.all_objects.filter(**{f"{column}__in": values})
                                    .values_list("pk", "deleted_at", column) for column in columns], values)
    return find


def _find_lower(entity, columns: tuple[str, ...]):
    """Case-insensitive, as the services' duplicate check: lower(column) IN (…) of the given values, which the
    lower() indexes on names and emails answer (those on emails hold only the given ones)."""
    def find(values: set[str]) -> dict[str, int]:
        return _first_live_matches([entity.model.all_objects.annotate(key=Lower(column)).filter(key__in=values)
                                    .exclude(**{column: ""}).values_list("pk", "deleted_at", "key")
                                    for column in columns], values)
    return find


def _first_live_matches(lookups: list, values: set[str]) -> dict[str, int]:
    """value -> the oldest live record holding it, from one lookup per column.

    One query per column: SQLite answers `lower(email) IN (…) OR lower(other_email) IN (…)` by reading every
    row (0.5 s a batch at a million contacts), though each side has its index. Neither the manager's
    `deleted_at IS NULL` nor an ORDER BY go into the SQL: without statistics, SQLite would rather walk the
    deleted_at index or the ordering than the index that finds the values.
    """
    found: dict[str, int] = {}
    for lookup in lookups:
        for pk, deleted_at, key in lookup.order_by():
            if deleted_at is None and key in values and (key not in found or pk < found[key]):
                found[key] = pk
    return found


# --- undo -------------------------------------------------------------------------------------------


def _raw_values(record, data: dict) -> dict:
    """The stored values of the fields `data` sets, as JSON, so undo can put them back."""
    values = {}
    for key in data:
        if key == "custom":
            values["custom"] = dict(record.custom)
        elif key == "tags":
            values["tags"] = sorted(tag.name for tag in record.tags.all())
        else:
            field = record._meta.get_field(key)
            value = getattr(record, field.attname)
            if isinstance(value, datetime.date | Decimal):
                value = value.isoformat() if isinstance(value, datetime.date) else str(value)
            values[key] = value
    return values


def _restored_data(record, before: dict) -> dict:
    """Service data that puts back the values in `before` (see _raw_values)."""
    data = {}
    for key, value in before.items():
        if key == "custom":
            data["custom"] = {name: value.get(name) for name in {*value, *record.custom}}
        elif key == "tags":
            data["tags"] = value
        else:
            field = record._meta.get_field(key)
            if field.is_relation:
                data[key] = None if value is None else field.related_model._base_manager.filter(pk=value).first()
                if value is not None and data[key] is None:
                    raise Refused(_("This import cannot be undone: a record it pointed to no longer exists."))
            else:
                data[key] = field.to_python(value)
    return data


def register() -> None:
    imports.register(CustomerImport(
        entity=services.ACCOUNT, name="accounts", label=gettext_lazy("Accounts"),
        list_url_name="customers:account_list", fields=ACCOUNT_FIELDS,
        update=lambda actor, record, data, version: services.account_update(
            actor=actor, account=record, data=data, version=version),
    ), order=10)
    imports.register(ContactImport(
        entity=services.CONTACT, name="contacts", label=gettext_lazy("Contacts"),
        list_url_name="customers:contact_list", fields=CONTACT_FIELDS, loaded=("account",),
        update=lambda actor, record, data, version: services.contact_update(
            actor=actor, contact=record, data=data, version=version),
    ), order=20)
