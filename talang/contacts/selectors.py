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
            )
            .get(reference=reference)
        )
    except Household.DoesNotExist:
        raise Http404 from None
