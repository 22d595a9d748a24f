"""Statistics for viewers' and coordinators' integrations: the dashboard's figures as JSON."""

from ninja import Router

router = Router(tags=["statistics"])
