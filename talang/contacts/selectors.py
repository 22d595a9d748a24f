from django.db.models import Prefetch
from django.http import Http404

from talang.contacts.models import Household, Person


def household_for_self_service(*, reference: str) -> Household:
    """A household with everything it holds, for its own signed link (no staff access here)."""
    people = Person.objects.select_related("postal_address").prefetch_related("consents__text")
    try:
        return (
            Household.objects.select_related("region")
            .prefetch_related(
                "municipalities",
                Prefetch("persons", queryset=people),
                "subscriptions",
                "magazine_orders",
                "cases__municipality",
                "activities",
            )
            .get(reference=reference)
        )
    except Household.DoesNotExist:
        raise Http404 from None


def household_export(*, household: Household) -> dict:
    """Everything held about a household, as plain data (for the person's own download)."""
    from django.forms.models import model_to_dict

    def plain(instance, exclude=()):
        data = model_to_dict(instance, exclude=["id", *exclude])
        return {
            key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in data.items()
        }

    people = []
    for person in household.persons.all():
        entry = plain(person, exclude=["household", "guide_edited"])
        entry["consents"] = [
            {
                "purpose": c.purpose,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "text": c.text.text,
                "version": c.text.version,
                "language": c.text.language,
            }
            for c in person.consents.all()
        ]
        address = getattr(person, "postal_address", None)
        entry["postal_address"] = plain(address, exclude=["person"]) if address else None
        people.append(entry)
    return {
        "household": {
            "reference": household.reference,
            **plain(household, exclude=["region", "municipalities", "version"]),
            "region": household.region.name,
            "municipalities": [m.name for m in household.municipalities.all()],
        },
        "people": people,
        "activities": [
            {"kind": a.kind, "occurred_at": a.occurred_at.isoformat(), "body": a.body}
            for a in household.activities.all()
        ],
        "newsletter": [
            {"email": s.email, "state": s.state, "topics": s.topics}
            for s in household.subscriptions.all()
        ],
        # What was sent in through the forms or the API, as it arrived.
        "submissions": [
            {
                "received_at": submission.received_at.isoformat(),
                "source": submission.source,
                "kind": submission.kind,
                "payload": submission.payload,
            }
            for submission in household.submissions.order_by("received_at")
        ],
        "magazine_orders": [
            {"ordered_at": o.ordered_at.isoformat(), "copies": o.copies, "city": o.city}
            for o in household.magazine_orders.all()
        ],
    }
