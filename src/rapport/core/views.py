from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .extensions import home_cards


@login_required
def home(request):
    cards = [(card, card.context(request)) for card in home_cards]
    return render(request, "core/home.html", {"cards": cards, "nav": "home"})


def health(request):
    return HttpResponse("ok", content_type="text/plain")
