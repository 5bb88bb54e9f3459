# The calendar fixtures are shared with the sla tests.
from complaintdesk.sla.tests.conftest import _fresh_calendar_cache, at, cal, office_cal, row  # noqa: F401
