from django.views.generic import TemplateView

from minutes.numbering import municipal_year_label
from scrutiny.fragments import kept
from scrutiny.models import Committee
from scrutiny.params import id_param, text_param

from .models import EntryKind, SearchEntry
from .selectors import search


class SearchView(TemplateView):
    """/search/?q=&committee=&year=&type=&page=: published agendas, papers and minutes,
    exempt ones only for those entitled."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        import datetime

        context = super().get_context_data(**kwargs)
        params = self.request.GET
        committees = kept("committees", load=lambda: list(Committee.objects.order_by("name")))
        committee = next((c for c in committees if c.slug == params.get("committee")), None)
        year = id_param(params.get("year"))
        year = year if year and 1900 < year < 3000 else None
        kind = params.get("type", "")
        kind = kind if kind in EntryKind.values else ""
        text = text_param(params.get("q"))
        results = (
            search(
                user=self.request.user,
                text=text,
                committee=committee,
                year=year,
                kind=kind,
                page=id_param(params.get("page")) or 1,
            )
            if text.strip()
            else None
        )
        from urllib.parse import urlencode

        context.update(
            page_query=urlencode(
                {
                    "q": text,
                    "committee": committee.slug if committee else "",
                    "year": year or "",
                    "type": kind,
                }
            ),
            q=text,
            results=results,
            committees=committees,
            committee=committee,
            year=year,
            # The index is written by workers without bumping the content version: a
            # new year shows once anything else changes, or the kept list expires.
            years=kept(
                "search-years",
                load=lambda: [
                    (start, municipal_year_label(datetime.date(start, 5, 1)))
                    for start in SearchEntry.objects.values_list("year", flat=True)
                    .distinct()
                    .order_by("-year")
                ],
            ),
            kind=kind,
            kinds=EntryKind.choices,
        )
        return context
