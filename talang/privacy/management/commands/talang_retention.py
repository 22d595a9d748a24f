from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from talang.accounts.models import Membership, Region, Role, User
from talang.lib.progress import Progress
from talang.privacy import retention
from talang.privacy.models import RetentionReview


class Command(BaseCommand):
    help = (
        "Retention: 'preview' stores the households the region's rule selects now (a review); "
        "'apply' approves a review on behalf of a coordinator and deletes its households."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["preview", "apply"])
        parser.add_argument("--region", help="The region's code, e.g. 23 (if there are several).")
        parser.add_argument("--review", type=int, help="apply: the review's number.")
        parser.add_argument("--approved-by", help="apply: the approving coordinator's e-mail.")

    def handle(self, *args, action: str, **options):
        if action == "preview":
            self._preview(options["region"])
        else:
            self._apply(options["review"], options["approved_by"])

    def _region(self, code: str | None) -> Region:
        regions = Region.objects.filter(code=code) if code else Region.objects.all()
        found = list(regions[:2])
        if len(found) != 1:
            raise CommandError(
                f"--region: no region with the code {code!r}"
                if code
                else "--region: give the region's code, there is more than one region"
            )
        return found[0]

    def _preview(self, code: str | None) -> None:
        review = retention.retention_review_prepare(region=self._region(code))
        self.stdout.write(
            f"review {review.pk}: {review.total} households with no activity since "
            f"{review.inactive_before:%Y-%m-%d} ({review.inactive_months} months)"
        )

    def _apply(self, review_id: int | None, email: str | None) -> None:
        if review_id is None or not email:
            raise CommandError("apply needs --review <number> and --approved-by <e-mail>")
        review = RetentionReview.objects.filter(pk=review_id).first()
        if review is None:
            raise CommandError(f"--review: there is no review {review_id}")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("--approved-by: no user with that e-mail address")
        coordinator = Membership.objects.filter(
            user=user, user__is_active=True, region=review.region_id, role=Role.COORDINATOR
        ).exists()
        if not coordinator:
            raise CommandError("--approved-by: only a coordinator of the region can approve")
        if review.state == RetentionReview.State.APPROVED:
            # Approved before and interrupted: carry on where the last run stopped.
            self.stdout.write(f"review {review.pk}: resuming after {review.processed} households")
        else:
            try:
                retention.retention_review_approve(review=review, by=user, run=False)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        progress = Progress(self.stderr, "households")
        record = retention.retention_review_apply(review=review, progress=progress)
        self.stdout.write(
            f"review {review.pk}: deleted {record.households} households "
            f"({record.persons} people), kept {record.kept}, "
            f"deleted {record.subscriptions} newsletter addresses"
        )
