"""A timeline you can read: filter by kind (contacts and messages / decisions / system events),
newest or oldest first, and each event's field changes folded away until asked for."""

import pytest
from django.urls import reverse

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make
from complaintdesk.web.templatetags.desk import event_group


def _complaint(org):
    c = make(org, Status.IMPLEMENTING)
    services.complaint_log_contact(complaint=c, actor=org.agent, kind="progress_update", note="已告知客户进展")
    return c


@pytest.mark.django_db
def test_each_event_is_grouped_and_its_changes_fold(client, org):
    c = _complaint(org)
    groups = {e.type: event_group(e) for e in c.events.all()}
    assert groups["contact_logged"] == "contact"
    assert groups["dispatched"] == "decision" and groups["plan_approved"] == "decision"
    client.force_login(org.supervisor)
    html = client.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert 'data-tl-filter="contact"' in html and "data-tl-order" in html
    assert html.count('data-group="contact"') == 1
    assert '<details class="changes">' in html


@pytest.mark.django_db(transaction=True)
def test_filters_and_order_in_the_browser(open_as, org, live_server):
    c = _complaint(org)
    page = open_as(org.supervisor)
    page.goto(f"{live_server.url}/c/{c.pk}/")
    items = page.locator("#timeline > li")
    everything = items.count()
    page.click('[data-tl-filter="contact"]')
    visible = [i for i in range(everything) if items.nth(i).is_visible()]
    assert [items.nth(i).get_attribute("data-group") for i in visible] == ["contact"]
    page.click('[data-tl-filter="all"]')
    first_on_top = items.first.bounding_box()["y"]
    page.click("[data-tl-order]")
    assert items.first.bounding_box()["y"] > first_on_top  # the oldest event now sits at the bottom
    change = page.locator("#timeline details.changes").first
    assert not change.locator("table").is_visible()
    change.locator("summary").click()
    assert change.locator("table").is_visible()
