from django.conf import settings

from .access import Role, has_role, may_manage_exempt_access


def council(request):
    """The council's name and contact, for the layout of every page, and whether the
    signed-in user writes reports (for the menu)."""
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "is_officer": bool(user and has_role(user, Role.OFFICER)),
        "manages_exempt_access": bool(user and may_manage_exempt_access(user)),
    }
