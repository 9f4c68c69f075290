from django.shortcuts import get_object_or_404, render

from sources.models import Source

from .models import Agreement, Exercise, Partner, Procurement


def partner_detail(request, slug):
    partner = get_object_or_404(Partner.objects.for_detail(), slug=slug)
    return render(request, "partnerships/partner_detail.html", {"partner": partner})


def agreement_detail(request, slug):
    agreement = get_object_or_404(Agreement.objects.for_detail(), slug=slug)
    return render(request, "partnerships/agreement_detail.html", {"agreement": agreement})


def exercise_detail(request, slug):
    exercise = get_object_or_404(Exercise.objects.for_detail(), slug=slug)
    return render(request, "partnerships/exercise_detail.html", {"exercise": exercise})


def procurement_detail(request, slug):
    procurement = get_object_or_404(Procurement.objects.for_detail(), slug=slug)
    return render(request, "partnerships/procurement_detail.html", {"procurement": procurement})


def home(request):
    ctx = {
        "partners": Partner.objects.only("name", "slug", "kind"),
        "agreements": Agreement.objects.only("title", "slug"),
        "exercises": Exercise.objects.only("name", "slug"),
        "procurements": Procurement.objects.only("system", "slug"),
        "sources": Source.objects.only("title", "slug"),
    }
    return render(request, "partnerships/home.html", ctx)


def _placeholder(request):
    from django.http import HttpResponse

    return HttpResponse("Coming.", content_type="text/plain")


partner_list = agreement_list = exercise_list = procurement_list = timeline = _placeholder
