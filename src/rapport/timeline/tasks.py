"""Background work of the timeline: reminders before a task is due, notification emails."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation

from . import services
from .models import Notification


@task()
def send_task_reminder(*, task_id: int, version: int) -> bool:
    return services.task_remind(task_id=task_id, version=version)


@task()
def email_notification(*, notification_id: int) -> None:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return
    with translation.override(notification.user.language or settings.LANGUAGE_CODE):
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        send_mail(subject=notification.title, message=f"{notification.title}\n\n{link}\n",
                  from_email=None, recipient_list=[notification.user.email])
