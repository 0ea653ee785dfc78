"""Demo customers in English and Chinese: companies, people, addresses, phones."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from rapport.audit import history
from rapport.audit.history import ChangeAction
from rapport.core import bulk_load
from rapport.core.bulk_load import utc_text
from rapport.core.phones import to_e164
from rapport.search import services as search_index

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
    if context.get("scale"):
        generate_at_scale(context)
        return
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
    search_index.index_many(Account, [account.pk for account in accounts])
    search_index.index_many(Contact, [contact.pk for contact in contacts])


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


# --- at scale: `rapport demo --size 1m` --------------------------------------------------------
# A million contacts cannot go through the ORM one object at a time: rows are built as plain tuples
# from the pools below and loaded with executemany (SQLite) or COPY (PostgreSQL) by core/bulk_load.
# No change history is written at this size: one "created" line per record would add 1.1 million
# rows that tell nobody anything, and history is never read in bulk, so it adds nothing to measure.

ACCOUNTS_AT_SCALE = 100_000
CONTACTS_AT_SCALE = 1_000_000
BIG_OWNER, BIG_OWNER_SHARE = "rep1", 0.2  # one rep holds a fifth of all customers
CHINESE_SHARE = 0.6
YEARS_OF_HISTORY = 5

# province, city, district, street, phone prefix as written, as E.164, postcode prefix
SCALE_CN_CITIES = [
    ("广东省", "深圳市", "南山区", "科技园路", "0755", "+86755", "518"),
    ("广东省", "广州市", "天河区", "天河路", "020", "+8620", "510"),
    ("北京市", "北京市", "海淀区", "中关村大街", "010", "+8610", "100"),
    ("上海市", "上海市", "浦东新区", "世纪大道", "021", "+8621", "200"),
    ("浙江省", "杭州市", "西湖区", "文三路", "0571", "+86571", "310"),
    ("四川省", "成都市", "高新区", "天府大道", "028", "+8628", "610"),
    ("江苏省", "南京市", "鼓楼区", "中山路", "025", "+8625", "210"),
    ("江苏省", "苏州市", "工业园区", "星湖街", "0512", "+86512", "215"),
    ("湖北省", "武汉市", "洪山区", "珞喻路", "027", "+8627", "430"),
    ("陕西省", "西安市", "雁塔区", "科技路", "029", "+8629", "710"),
    ("天津市", "天津市", "滨海新区", "第三大街", "022", "+8622", "300"),
    ("重庆市", "重庆市", "渝北区", "金开大道", "023", "+8623", "401"),
    ("山东省", "青岛市", "崂山区", "香港东路", "0532", "+86532", "266"),
    ("安徽省", "合肥市", "蜀山区", "长江西路", "0551", "+86551", "230"),
]
# country, state, city, street, phone prefix as written and as E.164, local digits and their first digit,
# mobile prefixes with their digit counts, postcode prefix
SCALE_EN_CITIES = [
    ("United States", "CA", "San Francisco", "Market St", "+1 415", "+1415", 7, "2345678", [("+1 415", 7)], "941"),
    ("United States", "NY", "New York", "5th Ave", "+1 212", "+1212", 7, "2345678", [("+1 646", 7), ("+1 917", 7)],
     "100"),
    ("United States", "WA", "Seattle", "Pine St", "+1 206", "+1206", 7, "2345678", [("+1 206", 7)], "981"),
    ("United Kingdom", "", "London", "Baker St", "+44 20", "+4420", 8, "378", [("+44 74", 8), ("+44 78", 8)],
     "W1U "),
    ("Germany", "Bayern", "München", "Leopoldstraße", "+49 89", "+4989", 8, "2345678", [("+49 151", 8), ("+49 170", 7)],
     "80"),
    ("Singapore", "", "Singapore", "Orchard Rd", "+65", "+65", 8, "6", [("+65 9", 7), ("+65 8", 7)], "23"),
]
CN_MOBILE_PREFIXES = ["138", "139", "135", "150", "186", "177", "158", "199"]
CN_BRANDS = ["华通", "金桥", "恒信", "宏达", "新锐", "东方", "天成", "瑞丰", "博远", "鼎盛", "海纳", "联创",
             "永安", "星辰", "蓝海", "卓越", "嘉禾", "盛世", "远航", "安泰", "富达", "中天", "华信", "启明",
             "腾飞", "九州", "佳美", "和信", "润泽", "正阳", *CN_PREFIXES]
CN_TRADES = ["科技", "电子", "贸易", "物流", "机械", "医药", "建设", "能源", "食品", "纺织", "软件", "化工",
             "汽车配件", "环保", "信息技术", "精密制造", "生物", "新材料", "通信", "家居"]
CN_COMPANY_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
EN_ADJECTIVES = ["Blue", "Northern", "Silver", "Pacific", "Summit", "Golden", "Bright", "Atlas", "Crescent",
                 "Evergreen", "Harbor", "Ironwood", "Keystone", "Liberty", "Meridian", "Noble", "Orchard", "Pioneer",
                 "Quantum", "Redwood", "Sterling", "Trident", "Union", "Vertex", "Westfield", *EN_WORDS]
EN_TRADES = ["Systems", "Logistics", "Foods", "Robotics", "Analytics", "Pharma", "Energy", "Textiles", "Motors",
             "Networks", "Materials", "Medical", "Engineering", "Software", "Supply", "Electronics", "Packaging",
             "Instruments", "Retail", "Construction"]
EN_COMPANY_FORMS = {"United States": ["Inc.", "LLC", "Corp."], "United Kingdom": ["Ltd.", "plc"],
                    "Germany": ["GmbH", "AG"], "Singapore": ["Pte. Ltd."]}
SCALE_INDUSTRIES = [*INDUSTRIES, ("Wholesale", "5065"), ("Pharmaceuticals", "2834"), ("Telecommunications", "4813"),
                    ("Food processing", "2099"), ("Textiles", "2211"), ("Automotive parts", "3714")]
CN_FAMILY_PINYIN = [("张", "zhang"), ("王", "wang"), ("李", "li"), ("刘", "liu"), ("陈", "chen"),
                    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"),
                    ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"),
                    ("林", "lin"), ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"),
                    ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"),
                    ("曹", "cao"), ("欧阳", "ouyang")]
CN_GIVEN_PINYIN = [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("磊", "lei"),
                   ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("军", "jun"), ("婷", "ting"),
                   ("强", "qiang"), ("欣怡", "xinyi"), ("子涵", "zihan"), ("浩然", "haoran"), ("梓萱", "zixuan"),
                   ("宇轩", "yuxuan"), ("建华", "jianhua"), ("志强", "zhiqiang"), ("秀英", "xiuying"),
                   ("桂英", "guiying"), ("晓明", "xiaoming"), ("海燕", "haiyan"), ("俊杰", "junjie"),
                   ("雪梅", "xuemei"), ("国强", "guoqiang"), ("丽华", "lihua"), ("文博", "wenbo"), ("思远", "siyuan"),
                   ("一鸣", "yiming"), ("佳怡", "jiayi"), ("明辉", "minghui"), ("春燕", "chunyan"), ("鹏", "peng"),
                   ("超", "chao"), ("涛", "tao"), ("琳", "lin")]
SCALE_EN_GIVEN = [*EN_GIVEN, "William", "Elizabeth", "Richard", "Barbara", "Joseph", "Jessica", "Thomas", "Sarah",
                  "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Emily", "Mark", "Hannah",
                  "Oliver", "Sophie", "Lukas", "Lena", "Wei Ming", "Priya"]
SCALE_EN_FAMILY = [*EN_FAMILY, "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Moore",
                   "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Müller", "Schmidt", "Schneider",
                   "Tan", "Lim", "Patel", "O'Brien", "Evans", "Hughes"]
CURRENCIES = {"United States": "USD", "United Kingdom": "GBP", "Germany": "EUR", "Singapore": "SGD"}
CHANNELS = ["email", "email", "phone", "mobile", "wechat", "visit"]
CONSENT_METHODS = ["web_form", "email", "phone", "paper", "import"]


def generate_at_scale(context: dict) -> None:
    """100,000 accounts and 1,000,000 contacts at scale 1.0, in English and Chinese."""
    rng, users, scale, report = context["rng"], context["users"], context["scale"], context.get("report")
    account_count = max(3, round(ACCOUNTS_AT_SCALE * scale))
    contact_count = max(account_count, round(CONTACTS_AT_SCALE * scale))
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    owners = _owners(users, account_count, rng)
    first_id = bulk_load.next_id(Account)
    accounts = []  # (id, owner id, team id, chinese, city spec, domain, created) — what contacts need
    for index, owner in enumerate(owners):
        chinese = rng.random() < CHINESE_SHARE
        city = rng.choice(SCALE_CN_CITIES if chinese else SCALE_EN_CITIES)
        created = now - timedelta(seconds=rng.randrange(YEARS_OF_HISTORY * 365 * 86400))
        accounts.append((first_id + index, *owner, chinese, city, f"company{first_id + index}.example."
                         + ("cn" if chinese else "com"), created))
    with bulk_load.secondary_indexes_dropped(Account, Contact, report=report):
        bulk_load.insert_rows(Account, ACCOUNT_COLUMNS, (_scaled_account(rng, now, account) for account in accounts),
                              report=report)
        tags = Tag.objects.bulk_create([Tag(name=name) for name in ("VIP", "Key account", "Partner", "重点客户")])
        bulk_load.insert_rows(Account.tags.through, ["account_id", "tag_id"],
                              ((account[0], rng.choice(tags).pk) for account in accounts[::3]), report=report)
        per_account = _spread(contact_count, account_count, rng, low=1, high=19)
        bulk_load.insert_rows(Contact, CONTACT_COLUMNS, (
            _scaled_contact(rng, account, now)
            for account, count in zip(accounts, per_account, strict=True) for _index in range(count)
        ), report=report)
    bulk_load.reset_sequences(Account, Contact, Account.tags.through)


def _owners(users: dict, count: int, rng) -> list[tuple[int, int | None]]:
    """(owner id, team id) of `count` accounts, shuffled: the big owner holds exactly 20% of them,
    the other sellers (the manager too) share the rest evenly."""
    big = users[BIG_OWNER]
    others = [user for name, user in sorted(users.items())
              if name != BIG_OWNER and (name == "manager" or name.startswith("rep"))]
    big_count = round(count * BIG_OWNER_SHARE)
    owners = [(big.pk, big.team_id)] * big_count
    owners += [(others[index % len(others)].pk, others[index % len(others)].team_id)
               for index in range(count - big_count)]
    rng.shuffle(owners)
    return owners


def _spread(total: int, parts: int, rng, *, low: int, high: int) -> list[int]:
    """`parts` random counts between `low` and `high` (roughly) that add up to exactly `total`."""
    counts = [rng.randint(low, high) for _ in range(parts)]
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        index = rng.randrange(parts)
        if counts[index] + step >= low:
            counts[index] += step
            difference -= step
    return counts


def _digits(rng, count: int, first_digits: str) -> str:
    return rng.choice(first_digits) + f"{rng.randrange(10 ** (count - 1)):0{count - 1}d}"


def _grouped(digits: str) -> str:
    return f"{digits[:-4]} {digits[-4:]}" if len(digits) > 4 else digits


ACCOUNT_COLUMNS = [
    "id", "owner_id", "team_id", "created_by_id", "custom", "version", "created_at", "updated_at", "name",
    "external_id", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "currency", "website",
    "phone", "phone_e164", "other_phone", "other_phone_e164", "email", "other_email", "billing_country",
    "billing_province", "billing_city", "billing_street", "billing_postcode", "shipping_country",
    "shipping_province", "shipping_city", "shipping_street", "shipping_postcode", "parent_id", "lifecycle_stage",
    "source", "rating",
]


def _scaled_account(rng, now, account: tuple) -> tuple:
    account_id, owner_id, team_id, chinese, city, domain, created = account
    industry, sic = rng.choice(SCALE_INDUSTRIES)
    if chinese:
        province, city_name, district, street, area, area_e164, postcode = city
        form = rng.choice(CN_COMPANY_FORMS)
        name = f"{city_name[:-1]}{rng.choice(CN_BRANDS)}{rng.choice(CN_TRADES)}{form}"
        country, street = "中国", f"{district}{street}{rng.randint(1, 800)}号"
        postcode = f"{postcode}{rng.randrange(1000):03d}"
        local = _digits(rng, 8, "2345678")
        phone, phone_e164 = f"{area} {_grouped(local)}", f"{area_e164}{local}"
    else:
        country, province, city_name, street, area, area_e164, length, first_digits, _mobiles, postcode = city
        name = f"{rng.choice(EN_ADJECTIVES)} {rng.choice(EN_TRADES)} {rng.choice(EN_COMPANY_FORMS[country])}"
        street = f"{rng.randint(1, 999)} {street}"
        postcode = f"{postcode}{rng.randint(1, 9)}AB" if country == "United Kingdom" else \
            f"{postcode}{rng.randrange(100):02d}"
        local = _digits(rng, length, first_digits)
        phone, phone_e164 = f"{area} {_grouped(local)}", f"{area_e164}{local}"
    employees = rng.choice([3, 8, 15, 45, 120, 300, 800, 2000, 5000, 20000])
    revenue = employees * rng.randint(20, 200) * 1000
    lifecycle = rng.choice(["prospect", "prospect", "customer", "customer", "former"])
    updated = created + timedelta(days=rng.randrange(max(1, (now - created).days)))
    parent = account_id - 1 if account_id % 10 == 1 and account_id > 1 else None  # small groups of companies
    return (
        account_id, owner_id, team_id, owner_id, "{}", 1, utc_text(created), utc_text(updated), name,
        f"C{account_id:07d}", name, industry, sic, employees, revenue, CURRENCIES.get(country, "CNY"),
        f"https://www.{domain}", phone, phone_e164, "", "", f"info@{domain}", "", country, province, city_name,
        street, postcode, country, province, city_name, street, postcode, parent, lifecycle,
        rng.choice(Source.values), rng.choice(Rating.values),
    )


CONTACT_COLUMNS = [
    "owner_id", "team_id", "created_by_id", "custom", "version", "created_at", "updated_at", "full_name",
    "external_id", "given_name", "family_name", "title", "department", "account_id", "mobile_phone",
    "mobile_phone_e164", "work_phone", "work_phone_e164", "email", "other_email", "preferred_channel",
    "marketing_consent", "consent_method", "birthday",
]


def _scaled_contact(rng, account: tuple, now) -> tuple:
    account_id, owner_id, team_id, chinese, city, domain, account_created = account
    bits = rng.getrandbits(64)  # one draw, sliced, instead of a dozen calls per contact
    if chinese:
        (family, family_pinyin), (given, given_pinyin) = (CN_FAMILY_PINYIN[bits % len(CN_FAMILY_PINYIN)],
                                                          CN_GIVEN_PINYIN[(bits >> 8) % len(CN_GIVEN_PINYIN)])
        full_name, title = f"{family}{given}", CN_TITLES[(bits >> 16) % len(CN_TITLES)]
        department = CN_DEPARTMENTS[(bits >> 20) % len(CN_DEPARTMENTS)]
        mobile_digits = f"{CN_MOBILE_PREFIXES[(bits >> 24) % 8]}{(bits >> 27) % 100_000_000:08d}"
        mobile, mobile_e164 = f"{mobile_digits[:3]} {mobile_digits[3:7]} {mobile_digits[7:]}", f"+86{mobile_digits}"
        email = f"{family_pinyin}.{given_pinyin}@{domain}"
    else:
        family = SCALE_EN_FAMILY[bits % len(SCALE_EN_FAMILY)]
        given = SCALE_EN_GIVEN[(bits >> 8) % len(SCALE_EN_GIVEN)]
        full_name, title = f"{given} {family}", EN_TITLES[(bits >> 16) % len(EN_TITLES)]
        department = EN_DEPARTMENTS[(bits >> 20) % len(EN_DEPARTMENTS)]
        prefix, count = city[8][(bits >> 24) % len(city[8])]
        local = f"{2 + (bits >> 27) % 7}{(bits >> 30) % 10 ** (count - 1):0{count - 1}d}"
        mobile = f"{prefix} {_grouped(local)}"
        mobile_e164 = "+" + "".join(character for character in prefix if character.isdigit()) + local
        email = f"{given.split()[0].lower()}.{family.lower().replace(chr(39), '')}@{domain}"
    consent = (bits >> 50) % 10 < 6
    created = account_created + timedelta(days=(bits >> 54) % 700)
    created = min(created, now)
    birthday = f"{1960 + (bits >> 40) % 40}-{1 + (bits >> 46) % 12:02d}-{1 + (bits >> 36) % 28:02d}" \
        if (bits >> 60) % 3 == 0 else None
    return (
        owner_id, team_id, owner_id, "{}", 1, utc_text(created), utc_text(created), full_name, "", given, family,
        title, department, account_id, mobile, mobile_e164, "", "", email, "",
        CHANNELS[(bits >> 33) % len(CHANNELS)], int(consent),
        CONSENT_METHODS[(bits >> 56) % len(CONSENT_METHODS)] if consent else "", birthday,
    )
