"""The data-quality report (/quality/): being written."""

from django.http import HttpResponse


def report(request):
    return HttpResponse("The data-quality report is being written.", content_type="text/plain")
