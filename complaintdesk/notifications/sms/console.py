import logging
import sys

log = logging.getLogger("complaintdesk.sms")


class ConsoleSmsBackend:
    name = "console"

    def send(self, message) -> str:
        line = f"[SMS to {message.to}] {message.body}"
        log.info(line)
        sys.stdout.write(line + "\n")
        return f"console-{message.pk}"
