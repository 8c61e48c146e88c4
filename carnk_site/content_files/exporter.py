"""Write the database back to content/ in the file format, so admin edits can be reviewed and committed."""

from collections import Counter
from pathlib import Path

from carnk_site.content_files.models import ImportedRecord
from carnk_site.content_files.records import file_text, fingerprint, from_record, records
from carnk_site.content_files.schema import SCHEMAS
from carnk_site.content_files.translation_files import export_translations


def export_content(root):
    """Write one file per record under root; return counts of files written and left unchanged."""
    root = Path(root)
    counts = Counter()
    for schema in SCHEMAS:
        folder = root / schema.folder
        folder.mkdir(parents=True, exist_ok=True)
        for obj in records(schema):
            text = file_text(schema, *from_record(schema, obj))
            path = folder / f"{obj.slug}{schema.extension}"
            if path.exists() and path.read_text(encoding="utf-8") == text:
                counts["unchanged"] += 1
            else:
                path.write_text(text, encoding="utf-8")
                counts["written"] += 1
            ImportedRecord.objects.update_or_create(
                kind=schema.folder, slug=obj.slug, defaults={"fingerprint": fingerprint(schema, obj)}
            )
    export_translations(root, counts)
    return counts
