import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from karnameh.accounts.permissions import require
from karnameh.api.pagination import Pagination

from .models import Notification
from .selectors import own_notifications
from .services import notification_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/", response=list[NotificationOut], summary="The caller's own notifications")
@paginate(Pagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> object:
    require(request.user, "notification.list")
    rows = own_notifications(request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def read_notification(request: HttpRequest, notification_id: int) -> Notification:
    require(request.user, "notification.list")
    notification = get_object_or_404(own_notifications(request.user), pk=notification_id)
    return notification_read(actor=request.user, notification=notification)
