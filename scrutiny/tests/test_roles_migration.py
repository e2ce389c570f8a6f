"""The roles' migrations stand on their own: adding a permission to a role later never
breaks `migrate` on a fresh database, and the migrations leave the roles as written."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from scrutiny import roles


@pytest.mark.django_db(transaction=True)
def test_a_fresh_migrate_survives_a_permission_added_later(monkeypatch):
    # A role that later gains a permission of a model from a later migration.
    as_written = {name: sorted(codenames) for name, codenames in roles.ROLE_PERMISSIONS.items()}
    changed = {**roles.ROLE_PERMISSIONS}
    changed["Co-ordinator"] = [*changed["Co-ordinator"], "exempt.view_grant"]
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", changed)
    call_command("migrate", "scrutiny", "0001", verbosity=0)
    assert not Group.objects.exists()
    call_command("migrate", verbosity=0)
    # What the migrations made is what roles.py says (a change needs its migration).
    made = {
        group.name: sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
        )
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert made == as_written
