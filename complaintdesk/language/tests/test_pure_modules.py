"""The core modules are pure Python: importing them must not pull in Django."""

import subprocess
import sys
from pathlib import Path

PURE_MODULES = [
    "complaintdesk.language.normalize",
    "complaintdesk.language.patterns",
    "complaintdesk.language.checker",
    "complaintdesk.language.phrases_default",
    "complaintdesk.language.receipt",
    "complaintdesk.language.repeat",
    "complaintdesk.language.classifier",
    "complaintdesk.language.classifier.lexicons",
    "complaintdesk.language.classifier.model",
    "complaintdesk.language.classifier.rules",
]


def test_pure_modules_do_not_import_django():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in PURE_MODULES)
        + "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        + "print(','.join(leaked))\n"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )
    assert result.stdout.strip() == ""
