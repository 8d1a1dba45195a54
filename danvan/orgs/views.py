from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def tree(request):  # placeholder, replaced by the tree browser
    return HttpResponse("")
