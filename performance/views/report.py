"""The quarterly performance report: its page, its PDF, and putting it on an agenda item
(co-ordinators). Like the summary, it holds only what the reader may see; reading or
downloading one with confidential indicators goes in the access log."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from exempt.models import AccessEvent
from scrutiny import access
from scrutiny.viewing import LoginOr403Mixin, apply_service_errors

from .. import services
from ..forms import ReportAttachForm
from ..reports import (
    QuarterlyReport,
    quarterly_report,
    report_context,
    report_file_name,
    report_pdf,
)
from .common import record_confidential
from .reading import PUBLIC_VERSION, SummaryMixin


class ReportMixin(SummaryMixin):
    def choice_params(self):
        """The area, quarter and version: from the query, or the attach form's fields."""
        return self.request.POST if self.request.method == "POST" else self.request.GET

    def public_version(self) -> bool:
        """The version without confidential indicators, asked for by ?version=public."""
        return self.choice_params().get("version") == PUBLIC_VERSION

    def report(self, area, quarter) -> QuarterlyReport:
        report = quarterly_report(
            user=self.request.user,
            committee=self.committee,
            area=area,
            period=quarter,
            include_confidential=not self.public_version(),
        )
        if report.is_exempt:
            record_confidential(
                self.request,
                self.event,
                committee=self.committee,
                what=f"the quarterly performance report with confidential indicators: "
                f"{area.name}, {quarter.label}",
            )
        return report

    def query(self, area, quarter, *, public: bool | None = None) -> str:
        params = {"area": area.code, "quarter": quarter.label}
        if self.public_version() if public is None else public:
            params["version"] = PUBLIC_VERSION
        return urlencode(params)


class ReportView(ReportMixin, TemplateView):
    template_name = "performance/report.html"
    event = AccessEvent.VIEWED

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, area, quarter = self.choice()
        report = self.report(area, quarter) if area else None
        context.update(self.report_page(form, area, quarter, report))
        return context

    def report_page(self, form, area, quarter, report, attach_form=None) -> dict:
        context = {"form": form, "report": report, "area": area, "quarter": quarter}
        if report is None:
            return context
        user = self.request.user
        context.update(
            report_context(report),
            on_page=True,
            report_query=self.query(area, quarter),
            public_query=self.query(area, quarter, public=True),
            full_query=self.query(area, quarter, public=False),
            public_version=self.public_version(),
            may_choose_version=(report.is_exempt or report.withheld)
            and access.can_see_confidential_indicators(user, self.committee),
        )
        if access.can_edit_committee(user, self.committee):
            context["attach_form"] = attach_form or attach_form_for(report)
        return context


def attach_form_for(report: QuarterlyReport, data=None) -> ReportAttachForm:
    return ReportAttachForm(
        data,
        items=services.report_target_items(committee=report.committee, period=report.period),
        is_exempt=report.is_exempt,
        paragraphs=services.REPORT_EXEMPT_PARAGRAPHS,
        default_reason=services.REPORT_EXEMPT_REASON,
        default_public_interest=services.REPORT_PUBLIC_INTEREST,
    )


class ReportPdfView(ReportMixin, View):
    event = AccessEvent.DOWNLOADED

    def get(self, request, *args, **kwargs):
        _form, area, quarter = self.choice()
        if area is None:
            raise Http404("No such area or quarter.")
        report = self.report(area, quarter)
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_file_name(report)}"'
        return response


class ReportAttachView(LoginOr403Mixin, ReportView):
    """POST only: render the report and put it on the chosen item, in one action."""

    http_method_names = ["post"]

    def check_access(self):
        if not access.can_edit_committee(self.request.user, self.committee):
            raise PermissionDenied("Only the committee's co-ordinators put papers on its agendas.")

    def post(self, request, *args, **kwargs):
        choice_form, area, quarter = self.choice()
        if area is None:
            raise Http404("No such area or quarter.")
        report = self.report(area, quarter)
        form = attach_form_for(report, request.POST)
        if form.is_valid():
            item = form.chosen_item()
            was_exempt = item.is_exempt
            try:
                document = services.performance_report_attach(
                    report=report,
                    item=item,
                    user=request.user,
                    exempt_paragraph=form.cleaned_data.get("exempt_paragraph"),
                    exempt_reason=form.cleaned_data.get("exempt_reason", ""),
                    public_interest_reasoning=form.cleaned_data.get(
                        "public_interest_reasoning", ""
                    ),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                version = document.current_version.number
                when = f"{timezone.localtime(item.meeting.starts_at):%-d %B %Y}"
                said = f"The report was put on \u201c{item.title}\u201d of the meeting of {when}"
                if version > 1:
                    said += f" as version {version}"
                if report.is_exempt:
                    paragraph = document.exempt_paragraph
                    if was_exempt:
                        said += (
                            f". It is exempt in itself under paragraph {paragraph}, as its item "
                            "is, and the item keeps its reason"
                        )
                    else:
                        said += (
                            f", and the item is now exempt under paragraph {paragraph}, in the "
                            "exempt part of the agenda; the report stays exempt even if the "
                            "item is made public again"
                        )
                messages.success(request, f"{said}.")
                return redirect(document.get_absolute_url())
        context = super(ReportView, self).get_context_data(**kwargs)
        context.update(self.report_page(choice_form, area, quarter, report, attach_form=form))
        return self.render_to_response(context, status=400)
