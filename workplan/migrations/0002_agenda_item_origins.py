"""Agenda items whose origin was typed as "the committee's work programme" or "a
Member's draw-down request" become work plan items linked to them, and the typed
reference gives way to the link (it is kept in the item's history). The work programme
is public, so an exempt item, or one on a draft agenda, is left as it was: its purpose
and typed origin are not published by this. Each takes the outcome its published minute records."""

from django.db import migrations

PUBLIC_MINUTES = ("published", "confirmed")
EXEMPT_SECTION = 3
# A minute's outcome, and what becomes of the work plan item (as workplan.services).
OUTCOMES = {
    "taken": "considered",
    "deferred": "postponed",
    "not_reached": "postponed",
    "withdrawn": "withdrawn",
}


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    WorkPlanItem = apps.get_model("workplan", "WorkPlanItem")
    WorkPlanChange = apps.get_model("workplan", "WorkPlanChange")
    Minute = apps.get_model("minutes", "Minute")
    items = (
        AgendaItem.objects.filter(origin__in=("work_programme", "draw_down"))
        .exclude(section=EXEMPT_SECTION)
        # A draft agenda is the co-ordinators' alone: its items wait to be placed again.
        .exclude(meeting__status="draft")
        .select_related("meeting")
    )
    for position, agenda_item in enumerate(items.order_by("meeting__starts_at", "pk"), start=1):
        draw_down = agenda_item.origin == "draw_down"
        outcome = (
            Minute.objects.filter(item=agenda_item, minutes__status__in=PUBLIC_MINUTES)
            .values_list("outcome", flat=True)
            .first()
        )
        status = OUTCOMES.get(outcome, "on_agenda")
        deferred = status == "postponed"
        plan_item = WorkPlanItem.objects.create(
            committee_id=agenda_item.meeting.committee_id,
            topic=agenda_item.title[:300],
            description=agenda_item.purpose,
            category="draw_down" if draw_down else "discretionary",
            requested_how="member" if draw_down else "work_programme",
            requested_by=agenda_item.origin_detail[:200] if draw_down else "",
            target_meeting_id=None if deferred else agenda_item.meeting_id,
            status=status,
            agenda_item=None if deferred else agenda_item,
            position=position,
            created_at=agenda_item.added_at,
            updated_at=agenda_item.added_at,
        )
        WorkPlanChange.objects.create(
            item=plan_item,
            kind="placed",
            at=agenda_item.added_at,
            to_meeting_id=agenda_item.meeting_id,
            to_status="on_agenda",
            reason=f"Recorded on the agenda item as coming from: {agenda_item.origin_detail}"[:1000]
            if agenda_item.origin_detail
            else "",
        )
        if outcome in OUTCOMES:
            WorkPlanChange.objects.create(
                item=plan_item,
                kind={"considered": "considered", "postponed": "deferred"}.get(status, status),
                at=agenda_item.meeting.starts_at,
                from_meeting_id=agenda_item.meeting_id,
                from_status="on_agenda",
                to_status=status,
            )
        agenda_item.origin = ""
        agenda_item.origin_detail = ""
        agenda_item.save(update_fields=["origin", "origin_detail"])


class Migration(migrations.Migration):
    dependencies = [
        ("workplan", "0001_initial"),
        ("meetings", "0001_initial"),
        ("minutes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
