"""Write observations in the upload format, so that the export imports unchanged."""

from django.core.management.base import BaseCommand, CommandError

from performance.models import Area, Indicator
from performance.selectors import export_rows, observations_for_export, write_csv

from ._committee import committee_from_option


class Command(BaseCommand):
    help = (
        "Write the committee's observations to stdout as CSV in the upload format "
        "(indicator,area,period,value,status,note), confidential indicators included."
    )

    def add_arguments(self, parser):
        parser.add_argument("--indicator", help="Only this indicator's code.")
        parser.add_argument("--area", help="Only this area's code.")
        parser.add_argument("--committee", help="The committee's slug, if more than one.")

    def handle(self, *args, indicator=None, area=None, committee=None, **options):
        # The command line reads what the database holds: whoever runs it has the database.
        indicators = Indicator.objects.filter(committee=committee_from_option(committee))
        if indicator:
            indicators = indicators.filter(code__iexact=indicator)
            if not indicators.exists():
                raise CommandError(f"No indicator has the code {indicator}.")
        chosen_area = None
        if area:
            try:
                chosen_area = Area.objects.get(code__iexact=area)
            except Area.DoesNotExist as error:
                raise CommandError(f"No area has the code {area}.") from error
        observations = observations_for_export(indicators=indicators, area=chosen_area)
        write_csv(export_rows(observations), self.stdout)
