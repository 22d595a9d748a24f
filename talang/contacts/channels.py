"""The channels a household can come through, by name: the intake records "<form>:<code>" (the
form, and the region's or a municipality's address it was sent from) or "api". The contact card
and the statistics name them alike."""

from django.utils.translation import gettext


def channel_labels(region_code: str, municipalities: dict[str, str]) -> dict[str, str]:
    """Names for the channels the intake records: "<form>:<code>" (the form and the region's or
    a municipality's address it was sent from), "api", or nothing known."""
    labels = {"": gettext("Unknown"), "api": gettext("The registration API")}
    places = {region_code: None, **{code: name for code, name in municipalities.items()}}
    forms = {
        "guidance": (
            gettext("The region's form"),
            lambda name: gettext("%(municipality)s's form") % {"municipality": name},
        ),
        "magazine": (
            gettext("The region's magazine form"),
            lambda name: gettext("%(municipality)s's magazine form") % {"municipality": name},
        ),
        "newsletter": (
            gettext("The region's newsletter form"),
            lambda name: gettext("%(municipality)s's newsletter form") % {"municipality": name},
        ),
    }
    for form, (region_label, place_label) in forms.items():
        for code, name in places.items():
            labels[f"{form}:{code}"] = region_label if name is None else place_label(name)
    return labels
