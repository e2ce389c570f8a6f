"""The roles as groups with explicit permission codenames.

Used by the migration that creates them and by the test suite, which
re-creates them after a transactional test empties the database.
"""

ROLE_PERMISSIONS = {
    "Co-ordinator": [
        "scrutiny.view_committee",
        "scrutiny.change_committee",
        "scrutiny.view_person",
        "scrutiny.add_person",
        "scrutiny.change_person",
        "scrutiny.view_membership",
        "scrutiny.add_membership",
        "scrutiny.change_membership",
        "meetings.view_meeting",
        "meetings.add_meeting",
        "meetings.change_meeting",
    ],
    "Member": [],
    "Officer": [],
    # Decides "need to know" requests and oversees grants and the access log for
    # every committee (the council's Monitoring Officer and their deputies).
    "Monitoring Officer": [],
}


def ensure_roles(group_model, permission_model) -> None:
    """Create each role's group and give it exactly its permissions."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
