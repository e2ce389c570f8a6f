"""Public entries standing for something exempt are marked, so that a reader entitled to
the exempt entry finds it once; and on PostgreSQL each entry has its title's own vector,
by which title matches come first. On SQLite, adding the column remakes the table, which
drops its triggers: they are made again, and the FTS5 table rebuilt."""

import importlib

import django.contrib.postgres.search
from django.db import migrations, models
from django.db.models import Exists, OuterRef

ENGINE_INDEXES = importlib.import_module("search.migrations.0002_engine_indexes")


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in ENGINE_INDEXES.SQLITE[1:]:
        name = statement.split()[2]
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def mark_stand_ins(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    exempt_twin = SearchEntry.objects.filter(
        is_exempt=True, kind=OuterRef("kind"), url=OuterRef("url")
    )
    SearchEntry.objects.filter(is_exempt=False).filter(Exists(exempt_twin)).update(
        has_exempt_version=True
    )


def title_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_entry_title_vector ON search_searchentry USING gin (title_vector)"
        )
        schema_editor.execute(
            "UPDATE search_searchentry SET title_vector = to_tsvector('english', title)"
        )


def no_title_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="has_exempt_version",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["date", "id"], name="search_entry_newest"),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
        migrations.RunPython(title_vectors, no_title_vectors),
        migrations.RunPython(mark_stand_ins, migrations.RunPython.noop),
    ]
