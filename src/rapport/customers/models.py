"""Accounts (companies), contacts (people) and tags."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from rapport.core.links import reverse_with_id
from rapport.core.models import BusinessRecord


class LifecycleStage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former customer")


class Rating(models.TextChoices):
    HOT = "hot", _("Hot")
    WARM = "warm", _("Warm")
    COLD = "cold", _("Cold")


class Source(models.TextChoices):
    WEB = "web", _("Website")
    REFERRAL = "referral", _("Referral")
    TRADE_SHOW = "trade_show", _("Trade show")
    COLD_CALL = "cold_call", _("Cold call")
    PARTNER = "partner", _("Partner")
    ADVERTISING = "advertising", _("Advertising")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    MOBILE = "mobile", _("Mobile / SMS")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("Email reply")
    PHONE = "phone", _("Phone call")
    PAPER = "paper", _("Signed paper form")
    IMPORT = "import", _("Imported")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Account(BusinessRecord):
    name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(_("external id"), max_length=100, blank=True,
                                   help_text=_("The record's id in another system, e.g. the ERP."))
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    sic_code = models.CharField(_("SIC code"), max_length=10, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(_("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_e164 = models.CharField(max_length=20, blank=True, editable=False)
    other_phone = models.CharField(_("other phone"), max_length=40, blank=True)
    other_phone_e164 = models.CharField(max_length=20, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    other_email = models.EmailField(_("other email"), blank=True)
    billing_country = models.CharField(_("billing country"), max_length=100, blank=True)
    billing_province = models.CharField(_("billing province/state"), max_length=100, blank=True)
    billing_city = models.CharField(_("billing city"), max_length=100, blank=True)
    billing_street = models.CharField(_("billing street"), max_length=200, blank=True)
    billing_postcode = models.CharField(_("billing postcode"), max_length=20, blank=True)
    shipping_country = models.CharField(_("shipping country"), max_length=100, blank=True)
    shipping_province = models.CharField(_("shipping province/state"), max_length=100, blank=True)
    shipping_city = models.CharField(_("shipping city"), max_length=100, blank=True)
    shipping_street = models.CharField(_("shipping street"), max_length=200, blank=True)
    shipping_postcode = models.CharField(_("shipping postcode"), max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children",
    )
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.PROSPECT
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="accounts")

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="account_name"),
            models.Index(Lower("name"), name="account_name_lower"),
            models.Index(fields=["owner", "name", "id"], name="account_owner_name"),
            models.Index(fields=["owner", "updated_at", "id"], name="account_owner_updated"),  # mine, latest first
            models.Index(fields=["team", "name", "id"], name="account_team_name"),
            models.Index(fields=["updated_at", "id"], name="account_updated"),
            models.Index(fields=["created_at", "id"], name="account_created"),
            models.Index(fields=["industry", "id"], name="account_industry"),
            models.Index(fields=["lifecycle_stage", "id"], name="account_lifecycle"),
            models.Index(fields=["billing_city", "id"], name="account_city"),
            models.Index(fields=["billing_province", "id"], name="account_province"),
            models.Index(fields=["billing_country", "id"], name="account_country"),
            models.Index(fields=["sic_code"], name="account_sic"),
            models.Index(fields=["rating"], name="account_rating"),
            models.Index(fields=["source"], name="account_source"),
            models.Index(fields=["employees"], name="account_employees"),
            models.Index(fields=["annual_revenue"], name="account_revenue"),
            models.Index(fields=["phone_e164"], name="account_phone"),
            models.Index(fields=["other_phone_e164"], name="account_other_phone"),
            models.Index(Lower("email"), name="account_email_lower", condition=~models.Q(email="")),
            models.Index(Lower("other_email"), name="account_other_email_lower", condition=~models.Q(other_email="")),
            # Partial: only the recycle bin reads it; a full index would lure SQLite away from better ones.
            models.Index(fields=["deleted_at"], name="account_deleted", condition=models.Q(deleted_at__isnull=False)),
            models.Index(fields=["external_id"], name="account_external_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_with_id("customers:account_detail", self.pk)


class Contact(BusinessRecord):
    full_name = models.CharField(_("full name"), max_length=200)
    external_id = models.CharField(_("external id"), max_length=100, blank=True,
                                   help_text=_("The record's id in another system, e.g. the ERP."))
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contacts",
    )
    mobile_phone = models.CharField(_("mobile phone"), max_length=40, blank=True)
    mobile_phone_e164 = models.CharField(max_length=20, blank=True, editable=False)
    work_phone = models.CharField(_("work phone"), max_length=40, blank=True)
    work_phone_e164 = models.CharField(max_length=20, blank=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    other_email = models.EmailField(_("other email"), blank=True)
    preferred_channel = models.CharField(_("preferred channel"), max_length=10, choices=Channel.choices, blank=True)
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    consent_at = models.DateTimeField(_("consent given/withdrawn"), null=True, blank=True)
    consent_method = models.CharField(_("consent method"), max_length=20, choices=ConsentMethod.choices, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="contacts")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["full_name", "id"], name="contact_name"),
            models.Index(Lower("full_name"), name="contact_name_lower"),
            models.Index(fields=["owner", "full_name", "id"], name="contact_owner_name"),
            models.Index(fields=["team", "full_name", "id"], name="contact_team_name"),
            models.Index(fields=["account", "full_name"], name="contact_account"),
            models.Index(fields=["updated_at", "id"], name="contact_updated"),
            models.Index(fields=["created_at", "id"], name="contact_created"),
            models.Index(fields=["mobile_phone_e164"], name="contact_mobile"),
            models.Index(fields=["work_phone_e164"], name="contact_work_phone"),
            models.Index(Lower("email"), name="contact_email_lower", condition=~models.Q(email="")),
            models.Index(Lower("other_email"), name="contact_other_email_lower", condition=~models.Q(other_email="")),
            models.Index(fields=["title"], name="contact_title"),
            models.Index(fields=["department"], name="contact_department"),
            models.Index(fields=["preferred_channel"], name="contact_channel"),
            models.Index(fields=["marketing_consent"], name="contact_consent"),
            models.Index(fields=["birthday"], name="contact_birthday"),
            models.Index(fields=["deleted_at"], name="contact_deleted", condition=models.Q(deleted_at__isnull=False)),
            models.Index(fields=["external_id"], name="contact_external_id"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse_with_id("customers:contact_detail", self.pk)
