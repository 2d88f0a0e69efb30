from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RateWindow",
            fields=[
                ("client", models.CharField(max_length=64, primary_key=True, serialize=False)),
                (
                    "window",
                    models.BigIntegerField(
                        help_text="The window's number: seconds since the epoch // window length."
                    ),
                ),
                ("hits", models.PositiveIntegerField()),
            ],
            options={"db_table": "api_ratewindow"},
        ),
        # A count lost in a crash only forgives a window: skip the write-ahead log.
        migrations.RunSQL("ALTER TABLE api_ratewindow SET UNLOGGED", "ALTER TABLE api_ratewindow SET LOGGED"),
    ]
