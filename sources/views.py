from django.shortcuts import get_object_or_404, render

from .models import Source


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return render(request, "sources/source_detail.html", {"source": source})


def source_list(request):
    from django.http import HttpResponse

    return HttpResponse("Coming.", content_type="text/plain")
