#!/usr/bin/env python
"""manage.py of the django-helpdesk peer project (run with var/peers/helpdesk-venv/bin/python)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerproj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
