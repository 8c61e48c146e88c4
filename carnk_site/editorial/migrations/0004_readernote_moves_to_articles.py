from django.db import migrations


class Migration(migrations.Migration):
    """Notes for readers are content: the model moves to the articles app; its table stays as it is."""

    dependencies = [("editorial", "0003_writer_and_reviewer_groups")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="ReaderNote")]),
    ]
