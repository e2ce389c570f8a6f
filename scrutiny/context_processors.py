from django.conf import settings


def council(request):
    """The council's name and contact, for the layout of every page."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
    }
