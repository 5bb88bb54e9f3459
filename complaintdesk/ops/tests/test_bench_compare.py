"""The side-by-side comparison (bench/peers/compare.py): its CPU accounting charges a process tree
to its root's group and PostgreSQL's server processes to "postgres"; its wrk scripts file new
customers in every run."""

import re
import subprocess
import sys
import time

from bench.peers.compare import cpu_by_group, cpu_per_request, script

BUSY_GRANDCHILD = (
    "import subprocess, sys; subprocess.run([sys.executable, '-c', "
    "'import time\\nend = time.process_time() + 3\\nwhile time.process_time() < end: pass'])"
)


def test_a_busy_grandchild_is_charged_to_its_roots_group():
    root = subprocess.Popen([sys.executable, "-c", BUSY_GRANDCHILD])
    try:
        time.sleep(0.3)
        before = cpu_by_group({"web": root.pid})
        time.sleep(1.0)
        after = cpu_by_group({"web": root.pid})
    finally:
        root.kill()
        root.wait()
    spent = cpu_per_request(before, after, requests=2)
    assert 100 <= spent["web"] <= 650, spent  # up to one core for a second, per request of two
    assert spent.get("other", 0) < spent["web"]


def test_postgres_server_processes_are_their_own_group():
    groups = {group for group, _ms in cpu_by_group({}).values()}
    assert "postgres" in groups


def test_a_process_that_ended_in_between_is_left_out_not_subtracted():
    before = {1: ("postgres", 500.0), 2: ("web", 100.0)}
    after = {2: ("web", 160.0), 3: ("postgres", 20.0)}  # 1 closed its connection; 3 is new
    assert cpu_per_request(before, after, requests=2) == {"postgres": 10.0, "web": 30.0}


def test_every_wrk_script_draws_its_own_phone_numbers():
    """Unseeded, wrk drew the same numbers in every run: the measured run re-filed the warm-up's
    customers, and intake was measured on repeat complaints."""
    seeds = set()
    for _ in range(3):
        lua = script("POST", ["/api/v1/complaints/receive/"], {}, '{"phone": "{phone}"}').read_text()
        seeds.add(re.match(r"math\.randomseed\((\d+)\)", lua).group(1))
        assert "local phone = string.format('13%09d'" in lua
    assert len(seeds) == 3
