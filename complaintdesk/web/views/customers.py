"""Customer page: contact details, every complaint, repeats, satisfaction history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from complaintdesk.complaints.choices import Dimension
from complaintdesk.customers.models import Customer
from complaintdesk.org.models import Role
from complaintdesk.web.selectors import customer_page
from complaintdesk.web.views.nav import nav_context


@login_required
def detail(request, pk: int):
    # Handlers see their department's cases only; a customer's whole file is the desk's view.
    if request.user.role == Role.HANDLER:
        raise PermissionDenied(_("客户档案仅对客服中心与主管开放。"))
    try:
        page = customer_page(customer_id=pk, user=request.user)
    except Customer.DoesNotExist:
        raise Http404(_("客户不存在。"))
    return render(request, "web/customers/page.html", {"p": page, "dimensions": Dimension.choices, **nav_context(request.user)})
