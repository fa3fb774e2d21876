"""essor import <kind> FILE [--dry-run] [--partial] [--as USER]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essor.core.imports import REGISTRY, ImportFileError, load_importers, run_import


class Command(BaseCommand):
    help = "Import a CSV or XLSX file: all-or-nothing unless --partial."

    def add_arguments(self, parser):
        load_importers()
        parser.add_argument("kind", choices=sorted(REGISTRY))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check every row and report; write nothing.")
        parser.add_argument("--partial", action="store_true",
                            help="Write the valid rows; write the bad ones to an error file.")
        parser.add_argument("--errors-file", help="Where --partial writes the bad rows "
                            "(default: FILE.errors.csv).")
        parser.add_argument("--as", dest="username",
                            help="Record the import in the audit log as this user.")

    def handle(self, *args, kind, file, dry_run, partial, errors_file, username, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("No such user: %(user)s") % {"user": username})
        importer = REGISTRY[kind](by=user)
        try:
            with path.open("rb") as stream:
                result = run_import(importer, stream, path.name, dry_run=dry_run,
                                    partial=partial)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors:
            self.stderr.write(_("row %(row)s, column %(column)s: %(message)s") % {
                "row": error.row, "column": error.column or "-", "message": error.message})
        summary = _("%(rows)s rows: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s already there, %(bad)s with errors.") % {
            "rows": result.rows, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "bad": result.error_rows}
        if result.errors and partial and not dry_run:
            target = Path(errors_file) if errors_file else path.with_name(
                path.name + ".errors.csv")
            target.write_bytes(result.errors_csv())
            self.stderr.write(_("Rows with errors written to %(file)s") % {"file": target})
        if dry_run:
            self.stdout.write(_("Dry run, nothing written. ") + summary)
        elif result.written:
            self.stdout.write(_("Imported. ") + summary)
        else:
            self.stdout.write(_("Nothing written: fix the rows above, or use --partial. ")
                              + summary)
        if result.errors and not (partial and not dry_run):
            raise CommandError(_("%(bad)s rows with errors.") % {"bad": result.error_rows},
                               returncode=2)
