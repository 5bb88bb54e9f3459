"""Accounts and queue for the benchmark: staff superuser ``bench``, a few agents, one queue, an API token.

Idempotent. Writes var/peers/helpdesk.json (base URL, user, password, token, queue id).
"""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from helpdesk.models import Queue
from rest_framework.authtoken.models import Token

USERNAME = "bench"
PASSWORD = "bench-pass-2026"
AGENTS = ["agent1", "agent2", "agent3", "agent4", "agent5"]


class Command(BaseCommand):
    help = "Create the bench superuser, agents, the queue and an API token (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=USERNAME, defaults={"email": "bench@example.com"})
        user.is_staff = user.is_superuser = user.is_active = True
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
        user.save()
        for i, name in enumerate(AGENTS, 1):
            agent, created = User.objects.get_or_create(
                username=name,
                defaults={"email": f"{name}@example.com", "first_name": "坐席", "last_name": str(i)},
            )
            if created:
                agent.is_staff = True
                agent.set_unusable_password()
                agent.save()
        token, _ = Token.objects.get_or_create(user=user)
        queue, _ = Queue.objects.get_or_create(
            slug="complaints", defaults={"title": "客户投诉", "allow_public_submission": False}
        )
        path = settings.VAR / "helpdesk.json"
        info = json.loads(path.read_text()) if path.exists() else {}
        info.update(
            {
                "base_url": "http://127.0.0.1:8101",
                "username": USERNAME,
                "password": PASSWORD,
                "token": token.key,
                "queue_id": queue.id,
                "user_id": user.id,
            }
        )
        settings.VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(info, indent=2) + "\n")
        self.stdout.write(json.dumps(info))
