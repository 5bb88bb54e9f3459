from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from complaintdesk.complaints.workflow import ACTIONS, mermaid

HEADER = """# Complaint workflow

Generated from `complaintdesk/complaints/workflow.py` by `python manage.py workflow_diagram`;
a test fails when this file and the table differ. Actions that keep the state (escalate, 三变法,
log a contact, notes, attachments, classification, extensions) are listed below the diagram.

"""


def render() -> str:
    loops = [a for a in ACTIONS.values() if a.target is None]
    rows = "\n".join(
        f"| `{a.name}` | {a.label} | {', '.join(sorted(a.roles))} | {a.relation} |" for a in loops
    )
    return (
        HEADER
        + "```mermaid\n"
        + mermaid()
        + "\n```\n\n| action | 名称 | roles | relation |\n|---|---|---|---|\n"
        + rows
        + "\n"
    )


class Command(BaseCommand):
    help = "根据流转表生成 docs/workflow.md（Mermaid 状态图）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "workflow.md"))

    def handle(self, *args, **options):
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {path}")
