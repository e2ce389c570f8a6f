from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .access import Role, has_role, may_manage_exempt_access


def data_officer_committees(*, user):
    from performance.selectors import data_officer_committees as committees

    return committees(user=user)


def council(request):
    """The council's name and contact, for the layout of every page, and whether the
    signed-in user writes reports (for the menu)."""
    user = getattr(request, "user", None)
    is_officer = bool(user and has_role(user, Role.OFFICER))
    return {
        "council_name": settings.COUNCIL_NAME,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "is_officer": is_officer,
        "manages_exempt_access": bool(user and may_manage_exempt_access(user)),
        # The committees whose performance data this officer uploads: asked lazily,
        # when the menu is drawn, and only of officers.
        "data_officer_committees": (
            SimpleLazyObject(lambda: data_officer_committees(user=user)) if is_officer else ()
        ),
    }
