"""The published schema documents the one error format on every operation."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from complaintdesk.api.errors import ErrorOutput

# Every operation can answer these: bad input, no or bad token, not allowed, not found (also an
# invalid cursor), a conflict with the complaint's state, wrong method, rate limit, server error.
ERROR_CODES = ("400", "401", "403", "404", "405", "409", "415", "429", "500")


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if not self.path.startswith("/api/v1/"):
            return bodies
        for code in ERROR_CODES:
            if code not in bodies:
                bodies[code] = self._get_response_for_code(ErrorOutput, code, direction=direction)
        return bodies
