"""The agents' API: one router per use case, all under `/api`."""

from inbox.api import (
    actions,
    audit,
    auth,
    commands,
    conversations,
    handovers,
    moderation,
    oidc,
    outofhours,
    records,
    staff,
)

ROUTERS = (
    auth.router, oidc.router, conversations.router, actions.router, commands.router, audit.router,
    handovers.router, moderation.router, staff.router, outofhours.router, records.router,
)
# Back-compatible name: the conversations list router.
router = conversations.router
