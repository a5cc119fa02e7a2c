"""Interchange: spreadsheets and MS Project schedules in and out of Setu."""

from app.interchange.exporter import export
from app.interchange.importer import KINDS, ImportRejected, ImportReport, RowProblem, import_file

__all__ = ["KINDS", "ImportRejected", "ImportReport", "RowProblem", "export", "import_file"]
