"""`make run` supervises: a service that dies is restarted (with backoff, and it says so) while everything
else keeps running; only SIGTERM/Ctrl-C stops the run, and then everything stops, promptly."""

import os
import signal
import time

import pytest
from faults.stack import Stack

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]


def test_a_killed_service_is_restarted_and_reported_and_nothing_else_stops(stack: Stack) -> None:
    others = {i: stack.pid(i) for s in ("responder", "inbox", "connectors") for i in stack.instances(s)}
    victim = stack.pid("triage")
    assert victim and all(others.values())
    mark = len(stack.lines)
    killed = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    stack.wait_line(r"triage stopped \(killed by signal 9\) after \d+s; restarting it in 1s \(restart 1;", after=mark)
    stack.wait_line(r"triage is back \(healthy [\d.]+s after its restart\)", after=mark, timeout=120)
    recovered = time.monotonic() - killed
    assert stack.pid("triage") not in (None, victim)
    assert stack.healthy("triage") and stack.healthy("triage-2")
    assert {i: stack.pid(i) for i in others} == others  # nobody else was restarted
    assert stack.proc.poll() is None
    print(f"\n[faults] triage SIGKILLed: restarted and healthy again in {recovered:.1f}s")


def test_a_service_that_keeps_dying_is_restarted_with_growing_backoff(stack: Stack) -> None:
    mark = len(stack.lines)
    for backoff in (1, 2):  # the restart count carries on from earlier faults in this run; the backoff starts at 1
        pid = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (pid := stack.pid("responder")):
            time.sleep(0.1)
        assert pid
        os.kill(pid, signal.SIGKILL)
        stack.wait_line(rf"responder stopped \(killed by signal 9\) after \d+s; restarting it in {backoff}s "
                        r"\(restart \d+;", after=mark)
        while stack.pid("responder") in (None, pid):
            time.sleep(0.1)
    stack.wait_healthy(["responder"])
