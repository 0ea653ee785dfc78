"""Demo customers in English and Chinese: companies, people, addresses, phones."""

from decimal import Decimal

from django.db.models import F

from rapport.audit import history
from rapport.audit.history import ChangeAction
from rapport.core.phones import to_e164

from .models import Account, Contact, LifecycleStage, Rating, Source, Tag

SIZES = {"small": (120, 4)}  # accounts, contacts per account

CN_CITIES = [
    ("广东省", "深圳市", "南山区科技园路"), ("北京市", "北京市", "海淀区中关村大街"),
    ("上海市", "上海市", "浦东新区世纪大道"), ("浙江省", "杭州市", "西湖区文三路"),
    ("四川省", "成都市", "高新区天府大道"), ("江苏省", "南京市", "鼓楼区中山路"),
]
EN_CITIES = [("United States", "CA", "San Francisco", "Market St"), ("United Kingdom", "", "London", "Baker St"),
             ("Germany", "Bavaria", "Munich", "Leopoldstraße"), ("United States", "NY", "New York", "5th Ave")]
CN_PREFIXES = [
    "华为", "腾讯", "阿里", "京东", "美的", "海尔", "格力", "比亚迪", "联想", "小米", "中兴", "万科", "顺丰", "蒙牛",
]
CN_SUFFIXES = ["技术有限公司", "科技有限公司", "贸易有限公司", "电子有限公司", "物流有限公司"]
EN_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell",
            "Cyberdyne", "Aperture", "Wonka", "Gringotts", "Oscorp", "Massive"]
EN_SUFFIXES = ["Inc.", "Ltd.", "GmbH", "Holdings", "Systems", "Logistics"]
INDUSTRIES = [("Manufacturing", "3571"), ("Retail", "5311"), ("Software", "7372"), ("Logistics", "4213"),
              ("Healthcare", "8062"), ("Finance", "6021"), ("Construction", "1542"), ("Energy", "4911")]
CN_FAMILY = ["张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"]
CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "婷", "强", "欣怡"]
EN_GIVEN = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Susan"]
EN_FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Taylor"]
EN_TITLES = ["CEO", "CFO", "Purchasing Manager", "IT Director", "Sales Director", "Engineer"]
CN_TITLES = ["总经理", "采购经理", "财务总监", "技术总监", "销售总监", "工程师"]
EN_DEPARTMENTS = ["Purchasing", "Finance", "IT", "Operations"]
CN_DEPARTMENTS = ["采购部", "财务部", "信息部", "运营部"]


def generate(context: dict) -> None:
    rng, users = context["rng"], context["users"]
    account_count, contacts_per_account = SIZES[context["size"]]
    owners = [users["manager"], users["rep1"], users["rep1"], users["rep2"], users["rep2"]]
    tags = Tag.objects.bulk_create([Tag(name=name) for name in ("VIP", "Key account", "Partner", "重点客户")])
    accounts = Account.objects.bulk_create(
        [_account(rng, index, rng.choice(owners)) for index in range(account_count)]
    )
    for child, parent in zip(accounts[1::10], accounts[0::10], strict=False):
        child.parent = parent
    Account.objects.bulk_update(accounts[1::10], ["parent"])
    Account.tags.through.objects.bulk_create(
        Account.tags.through(account_id=account.pk, tag_id=rng.choice(tags).pk) for account in accounts[::3]
    )
    contacts = Contact.objects.bulk_create(
        _contact(rng, account, index)
        for account in accounts
        for index in range(rng.randint(1, contacts_per_account * 2 - 1))
    )
    history.record_many(actor=None, objects=accounts, action=ChangeAction.CREATED, changes_of=lambda _r: {},
                        note="demo data")
    history.record_many(actor=None, objects=contacts, action=ChangeAction.CREATED, changes_of=lambda _r: {},
                        note="demo data")
    Account.objects.update(created_by=F("owner"))
    Contact.objects.update(created_by=F("owner"))


def _account(rng, index: int, owner) -> Account:
    chinese = index % 2 == 0
    industry, sic = rng.choice(INDUSTRIES)
    if chinese:
        province, city, street = rng.choice(CN_CITIES)
        name = f"{rng.choice(['深圳', '北京', '上海', '杭州'])}{rng.choice(CN_PREFIXES)}{rng.choice(CN_SUFFIXES)}"
        country, postcode = "中国", f"{rng.randint(100000, 999999)}"
        phone = f"0755 {rng.randint(2000, 8999)} {rng.randint(1000, 9999)}"
        street = f"{street}{rng.randint(1, 300)}号"
    else:
        country, province, city, street = rng.choice(EN_CITIES)
        name = f"{rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)} {rng.choice(EN_SUFFIXES)}"
        postcode, phone = f"{rng.randint(10000, 99999)}", f"+1 415 555 {rng.randint(1000, 9999)}"
        street = f"{rng.randint(1, 999)} {street}"
    name = f"{name} {index + 1}" if not chinese else f"{name}{index + 1}"
    domain = f"company{index + 1}.example.com"
    return Account(
        name=name, legal_name=name, industry=industry, sic_code=sic, employees=rng.choice([8, 45, 120, 800, 5000]),
        annual_revenue=Decimal(rng.randint(1, 5000)) * 10000, website=f"https://{domain}", phone=phone,
        phone_e164=to_e164(phone) or "", email=f"info@{domain}", billing_country=country, billing_province=province,
        billing_city=city, billing_street=street, billing_postcode=postcode, shipping_country=country,
        shipping_province=province, shipping_city=city, shipping_street=street, shipping_postcode=postcode,
        lifecycle_stage=rng.choice(LifecycleStage.values), source=rng.choice(Source.values),
        rating=rng.choice(Rating.values), owner=owner, team=owner.team,
    )


def _contact(rng, account: Account, index: int) -> Contact:
    chinese = account.billing_country == "中国"
    if chinese:
        family, given = rng.choice(CN_FAMILY), rng.choice(CN_GIVEN)
        full_name = f"{family}{given}"
        title, department = rng.choice(CN_TITLES), rng.choice(CN_DEPARTMENTS)
        mobile = f"1{rng.choice([38, 39, 58, 86])}{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"
        mobile = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    else:
        given, family = rng.choice(EN_GIVEN), rng.choice(EN_FAMILY)
        full_name = f"{given} {family}"
        title, department = rng.choice(EN_TITLES), rng.choice(EN_DEPARTMENTS)
        mobile = f"+1 415 55{rng.randint(0, 9)} {rng.randint(1000, 9999)}"
    email = f"contact{account.pk}.{index}@{account.website.removeprefix('https://')}"
    consent = rng.random() < 0.6
    return Contact(
        full_name=full_name, given_name=given, family_name=family, title=title,
        department=department, account=account, mobile_phone=mobile,
        mobile_phone_e164=to_e164(mobile) or "",
        email=email, preferred_channel=rng.choice(["email", "phone", "wechat", "visit"]), marketing_consent=consent,
        consent_method="web_form" if consent else "", owner=account.owner, team=account.team,
    )
