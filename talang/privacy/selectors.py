from talang.privacy.models import AccessLog


def access_log(*, region, reference: str = "", limit: int = 200):
    """Who opened which household's card, newest first, within the coordinator's region."""
    entries = AccessLog.objects.filter(user__membership__region=region).select_related("user")
    if reference:
        entries = entries.filter(household_reference=reference.strip().upper()[:9])
    return entries.order_by("-at")[:limit]
