outbox: list = []


class LocmemSmsBackend:
    """Keeps sent messages in ``outbox`` for tests."""

    name = "locmem"

    def send(self, message) -> str:
        outbox.append({"to": message.to, "body": message.body, "key": message.idempotency_key})
        return f"locmem-{len(outbox)}"
