"""Search across every type (being written)."""

from django.http import HttpResponse


def search(request):
    return HttpResponse("Search is coming.", content_type="text/plain")
