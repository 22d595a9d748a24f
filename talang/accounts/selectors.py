from django.db.models import OuterRef, Subquery

from talang.accounts.models import Municipality, PopulationFigure, Region


def municipalities_with_population(*, region: Region):
    """The region's municipalities, each with its latest population figure and date."""
    latest = PopulationFigure.objects.filter(municipality=OuterRef("pk")).order_by(
        "-reference_date"
    )
    return (
        Municipality.objects.filter(region=region)
        .annotate(
            population=Subquery(latest.values("count")[:1]),
            reference_date=Subquery(latest.values("reference_date")[:1]),
        )
        .order_by("name")
    )
