"""Households with a full history in the ledger, made through the public API and the
services, as in real use: registration, magazine order, newsletter, first response, move."""

import json

from django.utils import timezone

from talang.accounts.models import Municipality
from talang.contacts.models import Household, MoveStatus
from talang.guidance import services as guidance
from talang.guidance.models import ActivityKind, GuidanceCase
from talang.outreach import services as outreach
from talang.outreach.models import Subscription
from talang.testing import registered_household


def household_with_history(
    client, user, *, email: str, municipality: str = "2380", move: bool = True
) -> Household:
    body = {
        "language": "sv",
        "municipalities": [municipality],
        "consent_guidance": True,
        "newsletter": True,
        "contact": {
            "first_name": "Åsa",
            "last_name": "Öberg",
            "email": email,
            "phone": "",
            "preferred_channel": "email",
        },
        "magazine": {
            "wanted": True,
            "street": "Storgatan 1",
            "postal_code": "831 30",
            "city": "Östersund",
        },
    }
    response = client.post(
        "/api/v1/registrations", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    household = registered_household(response)
    outreach.subscription_confirm(subscription=Subscription.objects.get(email=email))
    case = GuidanceCase.objects.get(household=household)
    guidance.activity_record(
        household=household, case=case, kind=ActivityKind.CALL, author=user, body="Talked."
    )
    if move:
        guidance.case_status_change(
            case=case,
            status=MoveStatus.MOVED,
            by=user,
            moved_on=timezone.localdate(),
            moved_to=Municipality.objects.get(code=municipality),
            confirmed_by="household",
        )
    return household
