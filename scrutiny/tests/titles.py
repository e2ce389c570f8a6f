"""The full title of the exempt item of the `agenda` fixture."""

FULL_TITLE = "Kestrel team tasking: named offenders"
