from motcua.calendar.models.overrides import CalendarOverride

__all__ = ["CalendarOverride"]
