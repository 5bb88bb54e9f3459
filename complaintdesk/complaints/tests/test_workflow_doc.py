from pathlib import Path

from django.conf import settings

from complaintdesk.complaints.management.commands.workflow_diagram import render
from complaintdesk.complaints.workflow import ACTIONS


def test_committed_diagram_matches_the_table():
    committed = (Path(settings.BASE_DIR) / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python manage.py workflow_diagram"


def test_diagram_names_every_state_changing_action():
    text = render()
    for action in ACTIONS.values():
        if action.target:
            assert f": {action.label}" in text
        else:
            assert f"`{action.name}`" in text
