"""Quick replies: the approved-phrase library and 预案, searchable and inserted into any
customer-facing text box (the picker beside each checked field)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from complaintdesk.language.selectors import quick_reply_list


@login_required
def quick_replies(request):
    target = request.GET.get("target", "")[:80]
    return render(request, "web/casework/_quick_replies.html", {
        "replies": quick_reply_list(query=request.GET.get("q", "")[:40]),
        "target": target,
    })
