import logging

log = logging.getLogger("complaintdesk.sms")


class ConsoleSmsBackend:
    name = "console"

    def send(self, message) -> str:
        line = f"[SMS to {message.to}] {message.body}"
        log.info(line)
        return f"console-{message.pk}"
