"""The cache table of the default database cache (``CACHE_URL=dbcache://essor_cache``),
created by `essor migrate` on a fresh database, plus the table of any other database
cache ``CACHE_URL`` names."""

from django.core.management import call_command
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "essor_cache"


def create(apps, schema_editor):
    alias = schema_editor.connection.alias
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(alias, TABLE, dry_run=False)
    call_command("createcachetable", database=alias, verbosity=0)


def drop(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
