from django.db.models import Prefetch
from django.http import Http404

from talang.contacts.models import Household, Person, PersonRole


def contact_person(people) -> Person | None:
    """The household's contact: its main person, else the first of ``people`` (as read)."""
    people = list(people)
    return next((p for p in people if p.role == PersonRole.MAIN), people[0] if people else None)


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


# Kept for Talang's own work, not data the person gave or that is about them: the search
# index (a lower-case copy of the names and contact details above it) and the edit counter.
INTERNAL_FIELDS = ("search_text", "version", "guide_edited")


def household_export(*, household: Household) -> dict:
    """Everything held about a household, as plain data (for the person's own download). A
    field with a fixed set of values keeps its code and gets its label beside it, as
    ``<field>_label``, in the language of the active translation."""
    from django.forms.models import model_to_dict

    def plain(instance, exclude=()):
        data = model_to_dict(instance, exclude=["id", *INTERNAL_FIELDS, *exclude])
        labels = {
            f"{field.name}_label": str(getattr(instance, f"get_{field.name}_display")())
            for field in instance._meta.concrete_fields
            if field.choices and data.get(field.name)
        }
        return {
            **{
                key: (value.isoformat() if hasattr(value, "isoformat") else value)
                for key, value in data.items()
            },
            **labels,
        }

    people = []
    for person in household.persons.all():
        entry = plain(person, exclude=["household"])
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
            **plain(household, exclude=["region", "municipalities"]),
            "region": household.region.name,
            "municipalities": [m.name for m in household.municipalities.all()],
        },
        "people": people,
        "activities": [
            {
                "kind": a.kind,
                "kind_label": str(a.get_kind_display()),
                "occurred_at": a.occurred_at.isoformat(),
                "body": a.body,
            }
            for a in household.activities.all()
        ],
        "newsletter": [
            {
                "email": s.email,
                "state": s.state,
                "state_label": str(s.get_state_display()),
                "topics": s.topics,
                "since": s.created_at.isoformat(),
            }
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
            {
                "ordered_at": o.ordered_at.isoformat(),
                "copies": o.copies,
                "name": o.name,
                "street": o.street,
                "postal_code": o.postal_code,
                "city": o.city,
                "country": o.country,
                "sent_at": o.sent_at.isoformat() if o.sent_at else None,
            }
            for o in household.magazine_orders.all()
        ],
    }
