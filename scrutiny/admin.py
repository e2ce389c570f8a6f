"""The admin asks the one access policy, like every page.

Staff who are not superusers see and change only the committees they co-ordinate,
those committees' memberships and the people who sit on them; they never change who
co-ordinates a committee, which login a person uses, or their own membership: that
would be changing their own entitlement. Every change to co-ordinators or memberships
is recorded in the access log. The product's own pages are the place for the
co-ordinators' daily work; the admin is for the records behind them.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q

from alerts.services import member_subscription_ensure

from . import access
from .models import Committee, Membership, Person
from .services import membership_check_single_holder


def _record(request, *, committee, what: str, subject=None) -> None:
    from exempt.services import entitlement_change_record

    entitlement_change_record(by=request.user, committee=committee, what=what, subject=subject)


class ScopedAdmin(admin.ModelAdmin):
    """A row may be seen, changed or deleted only if it is in this admin's queryset, which
    subclasses narrow by the policy: a change page reached by guessing an id refuses."""

    def _allows(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allows(request, obj)


class CommitteeScopedAdmin(ScopedAdmin):
    """Rows reached through `committee_path` belong to a committee: staff see and change
    only those of the committees the policy gives them."""

    committee_path = "committee"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if access.can_change_entitlements_in_admin(request.user):
            return rows
        return rows.filter(**{f"{self.committee_path}__in": access.admin_committees(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "committee" and not access.can_change_entitlements_in_admin(
            request.user
        ):
            kwargs["queryset"] = access.admin_committees(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _people_for(request):
    """People a staff member may attach to memberships: never their own record."""
    people = Person.objects.all()
    if request.user.is_authenticated:
        people = people.exclude(user=request.user)
    return people


def _membership_text(membership: Membership) -> str:
    end = f" to {membership.end_date:%-d %B %Y}" if membership.end_date else ""
    return (
        f"{membership.person.display_name} as {membership.get_role_display()} from "
        f"{membership.start_date:%-d %B %Y}{end}"
    )


class MembershipForm(forms.ModelForm):
    """The admin keeps the services' rule of one chairman and one vice-chairman."""

    class Meta:
        model = Membership
        fields = ["committee", "person", "role", "start_date", "end_date", "note"]

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("committee") and data.get("start_date"):
            candidate = Membership(
                pk=self.instance.pk,
                committee=data["committee"],
                role=data.get("role"),
                start_date=data["start_date"],
                end_date=data.get("end_date"),
            )
            membership_check_single_holder(membership=candidate)
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["person"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = _people_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        memberships = super().get_queryset(request)
        if access.can_change_entitlements_in_admin(request.user):
            return memberships
        # Their own membership is not theirs to change.
        return memberships.exclude(person__user=request.user)


@admin.register(Committee)
class CommitteeAdmin(CommitteeScopedAdmin):
    committee_path = "pk"
    list_display = ["name", "slug", "minute_numbering"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [MembershipInline]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        if access.can_change_entitlements_in_admin(request.user):
            return ()
        return ("coordinators",)

    def save_related(self, request, form, formsets, change):
        committee = form.instance
        before = set(committee.coordinators.values_list("username", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(committee.coordinators.values_list("username", flat=True))
        for username in sorted(after - before):
            _record(request, committee=committee, what=f"{username} made a co-ordinator")
        for username in sorted(before - after):
            _record(request, committee=committee, what=f"{username} no longer a co-ordinator")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            _record(
                request,
                committee=membership.committee,
                what=f"membership removed: {_membership_text(membership)}",
                subject=membership.person.user,
            )
            membership.delete()
        for membership in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            membership.save()
            member_subscription_ensure(membership=membership)
            _record(
                request,
                committee=membership.committee,
                what=f"membership recorded: {_membership_text(membership)}",
                subject=membership.person.user,
            )
        formset.save_m2m()


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["display_name", "kind", "job_title", "organisation", "ward", "party", "user"]
    list_filter = ["kind"]
    search_fields = ["surname", "forenames", "organisation", "job_title"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        people = super().get_queryset(request)
        if access.can_change_entitlements_in_admin(request.user):
            return people
        # The people of the committees they serve, and people on no committee yet who
        # have no login (to record a new appointment). Anyone else with a login (staff,
        # officers, other councillors) is not theirs to rename: the name is what a
        # reader's watermark and a grant form show.
        return people.filter(
            Q(memberships__committee__in=access.admin_committees(request.user))
            | Q(memberships__isnull=True, user__isnull=True)
        ).distinct()

    def get_readonly_fields(self, request, obj=None):
        if access.can_change_entitlements_in_admin(request.user):
            return ()
        return ("user",)

    def _renames_a_login(self, request, obj) -> bool:
        # The name of someone who signs in is what their watermarks, grants and the
        # access log show: only a superuser changes or removes it.
        return (
            obj is not None
            and obj.user_id is not None
            and not access.can_change_entitlements_in_admin(request.user)
        )

    def has_change_permission(self, request, obj=None):
        if self._renames_a_login(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._renames_a_login(request, obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(CommitteeScopedAdmin):
    form = MembershipForm
    list_display = ["person", "committee", "role", "start_date", "end_date"]
    list_filter = ["committee", "role"]
    list_select_related = ["person", "committee"]
    autocomplete_fields = ["person", "committee"]

    def get_queryset(self, request):
        memberships = super().get_queryset(request)
        if access.can_change_entitlements_in_admin(request.user):
            return memberships
        return memberships.exclude(person__user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = _people_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        member_subscription_ensure(membership=obj)
        _record(
            request,
            committee=obj.committee,
            what=f"membership recorded: {_membership_text(obj)}",
            subject=obj.person.user,
        )

    def delete_model(self, request, obj):
        _record(
            request,
            committee=obj.committee,
            what=f"membership removed: {_membership_text(obj)}",
            subject=obj.person.user,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("person__user", "committee"):
            self.delete_model(request, membership)
