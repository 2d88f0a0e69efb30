"""The one JSON log line format, shared by Django's LOGGING (settings.py) and gunicorn's
logconfig_dict (gunicorn.conf.py), so the application's and the server's lines agree."""

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": ["asctime", "levelname", "name", "message"],
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
