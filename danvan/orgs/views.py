"""Placeholder views: the tree browser and unit pages replace these."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def tree(request, *args, **kwargs):
    return HttpResponse("")


search = unit_detail = children = unit_create = unit_change = unit_move = unit_merge = tree
unit_split = unit_dissolve = lead_assign = regulation_set = group_list = tree
