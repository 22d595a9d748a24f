"""Statistics for viewers' and coordinators' integrations: the dashboard's figures as JSON."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from talang.accounts.access import membership_of
from talang.accounts.models import Role
from talang.api.auth import TokenAuth
from talang.reporting.forms import StatisticsFilterForm
from talang.reporting.statistics import figures

router = Router(tags=["statistics"])
auth = TokenAuth(Role.VIEWER, Role.COORDINATOR)

Count = int | str  # a count, or "<5" where it is hidden from a viewer


class StatisticsQuery(Schema):
    # Declared for the OpenAPI schema; the values are checked by the dashboard's own form, so
    # that a bad date gets the same translated message on the page and here.
    start: str | None = Field(
        None, alias="from", description="First day, YYYY-MM-DD (default: 1 January this year)."
    )
    end: str | None = Field(None, alias="to", description="Last day, YYYY-MM-DD (default: today).")
    municipality: str | None = Field(None, description="Official code, e.g. 2380.")


class RowOut(Schema):
    key: str
    label: str
    values: dict[str, int | float | str | None]


class GoalOut(Schema):
    kind: str
    target: int
    start: str = Field(alias="from")
    until: str
    source: str
    achieved: int
    share: float | None


class StatisticsOut(Schema):
    region: str
    start: str = Field(alias="from")
    to: str
    municipality: str | None
    registered_households: Count
    first_responses_on_time: Count
    first_responses_late: Count
    first_response_on_time_share: float | str | None = Field(
        description="on time / (on time + late); null without first responses."
    )
    moved_households: Count
    magazine_orders: Count
    newsletter_subscriptions: Count
    newsletter_unsubscriptions: Count
    newsletter_subscribers: Count
    employers_found_staff: Count
    event_attendance: Count
    median_days_to_move: float | str | None
    conversion: float | str | None
    moves_of_registered: Count
    by_municipality: list[RowOut]
    by_month: list[RowOut]
    by_quarter: list[RowOut]
    by_year: list[RowOut]
    by_channel: list[RowOut]
    by_campaign: list[RowOut]
    by_origin: list[RowOut]
    by_size_band: list[RowOut]
    goals: list[GoalOut]


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str


@router.get(
    "/statistics",
    response={200: StatisticsOut, 400: ErrorsOut, 401: DetailOut, 403: DetailOut, 429: DetailOut},
    auth=auth,
    by_alias=True,
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]):
    """The dashboard's figures for a period (both days included), from the anonymous ledger.
    For a viewer's token every breakdown count from 1 to 4 is "<5" (and a chosen
    municipality's totals too), and a share or median that rests on 1 to 4 households or
    would give such a count away is ".." (docs/statistics.md); the region's totals are exact."""
    membership = membership_of(request.user)
    params = {name: request.GET.get(name, "") for name in ("from", "to", "municipality")}
    form = StatisticsFilterForm(params, region=membership.region)
    if not form.is_valid():
        errors = {name: [str(error) for error in errs] for name, errs in form.errors.items()}
        return Status(400, {"errors": errors})
    period = form.cleaned_data
    result = figures(
        region=membership.region,
        start=period["start"],
        end=period["end"],
        municipality=period["municipality_object"],
        municipalities=form.municipalities.values(),
    )
    return result.as_dict(suppress=membership.role == Role.VIEWER)
