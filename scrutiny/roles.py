"""The roles as groups with explicit permission codenames, as they are now.

Migrations never import this: each change to a role comes with its own migration
that writes out what it sets, so `migrate` on a fresh database never asks for a
permission whose model a later migration creates. The test suite re-creates the
roles from here after a transactional test empties the database, and checks that
the migrations leave them exactly as written here.
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
