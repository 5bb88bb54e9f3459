"""The load generator's users (locust): service-desk agents at work, shaped like SPEC §10.

Run by ``bench/load.py``, which prepares the accounts, tokens, complaint ids and search terms in
``$LOAD_DIR/fixtures.json`` and starts the server. Each simulated agent logs in through the login
page (a session, as a browser would) and holds an API token for the API calls.

The mix (relative weights), per agent:
- the queue page as opened from the sidebar (the whole page with its navigation) — 5
- paging and filtering a queue (the htmx list only) — 5
- a complaint page — 8
- a search from the search box (number, phone tail, name or a Chinese word) — 3
- intake through the API (a new complaint; the classification, repeat check and deadlines run) — 2
- an action: a note on a complaint through the API — 1
- the API's complaint list and detail — 1 each

``LOAD_SCENARIO=intake`` keeps only the intake, to measure the sustained rate of new complaints.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.path.join(os.environ["LOAD_DIR"], "fixtures.json"), encoding="utf-8").read())
SCENARIO = os.environ.get("LOAD_SCENARIO", "mix")
ACCOUNTS = itertools.cycle(FIXTURES["accounts"])
HTMX = {"HX-Request": "true", "HX-Target": "results"}
SUBJECTS = FIXTURES["texts"]


class Agent(HttpUser):
    wait_time = between(0.0, 0.2) if SCENARIO == "intake" else between(0.2, 1.0)

    def on_start(self):
        account = next(ACCOUNTS)
        self.token = {"Authorization": f"Token {account['token']}"}
        self.rng = random.Random()
        page = self.client.get("/login/", name="login page")
        csrf = self.client.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.client.post(
            "/login/", {"username": account["username"], "password": FIXTURES["password"], "csrfmiddlewaretoken": csrf},
            headers={"Referer": self.host + "/login/"}, name="login", allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {account['username']} failed: {response.status_code}")

    def _id(self) -> int:
        return self.rng.choice(FIXTURES["complaint_ids"])

    @task(5)
    def queue_page(self):
        self.client.get(f"/q/{self.rng.choice(['my_tasks', 'all', 'overdue'])}/", name="queue page")

    @task(5)
    def queue_results(self):
        params = {"page": self.rng.randint(1, 20)}
        if self.rng.random() < 0.5:
            params["channel"] = self.rng.choice(["phone", "online", "visit"])
        self.client.get("/q/all/", params=params, headers=HTMX, name="queue list (htmx)")

    @task(8)
    def complaint_page(self):
        self.client.get(f"/c/{self._id()}/", name="complaint page")

    @task(3)
    def search(self):
        term = self.rng.choice(FIXTURES["search_terms"])
        self.client.get("/q/all/", params={"q": term}, headers=HTMX, name="search")

    @task(2)
    def intake(self):
        text = self.rng.choice(SUBJECTS)
        body = {
            "phone": f"1{self.rng.choice('3578')}{self.rng.randint(100000000, 999999999)}",
            "customer_name": self.rng.choice(["王", "李", "张", "刘", "陈"]) + self.rng.choice(["伟", "芳", "娜", "敏", "静"]),
            "salutation": self.rng.choice(["mr", "ms"]),
            "address": f"锦绣花园{self.rng.randint(1, 30)}栋",
            "room": str(self.rng.randint(101, 2604)),
            "channel": "phone",
            "subject": text[:40],
            "description": text,
            "demand": "尽快处理并回复",
        }
        self.client.post("/api/v1/complaints/receive/", json=body, name="intake (API)",
                         headers={**self.token, "Idempotency-Key": uuid.uuid4().hex})

    @task(1)
    def note(self):
        complaint = self.rng.choice(FIXTURES["open_ids"])  # a closed case takes no more notes (409)
        self.client.post(f"/api/v1/complaints/{complaint}/actions/add_note/", json={"text": "已电话联系，客户同意周五上门"},
                         headers=self.token, name="action: note (API)")

    @task(1)
    def api_list(self):
        self.client.get("/api/v1/complaints/", params={"queue": "all"}, headers=self.token, name="API list")

    @task(1)
    def api_detail(self):
        self.client.get(f"/api/v1/complaints/{self._id()}/", headers=self.token, name="API detail")


if SCENARIO == "intake":
    Agent.tasks = [Agent.intake]
