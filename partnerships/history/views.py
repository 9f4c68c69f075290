"""The public history pages: an entry's revisions, one revision as the entry then
stood, any two compared, an entry as of a date, recent changes with their Atom
feed, and the reviewers' "mark reviewed" button.

Bad input never reaches the database: a malformed revision number, page or date
gets a 400 with a message, a revision or slug the wiki never had a 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..lists.pages import page_urls, paginate, url_with
from ..numbers import format_number
from ..translations import DEFAULT, localized
from .entry import EntryHistory, parse_token, standing
from .entry import compare as compare_saves
from .forms import AsOfForm, ChangesForm, ReviewForm
from .names import day, object_name
from .recent import COUNT_AT_MOST, ChangesFeed, ChangesPaginator, FeedQuery, changes
from .registry import entry_types
from .reviews import can_review, mark_reviewed, marks_of, reviewed_of

PER_PAGE = 50
# ?all=1 on the compare page: every field and row, the unchanged ones too.
SHOW_ALL = "1"


# -- finding the entry ------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """The entry a history URL names: live, or deleted and known from its history."""

    entry_type: object
    pk: int
    current: object  # the live entry, None when deleted
    slug: str

    @property
    def current_url(self):
        return self.entry_type.detail_url(self.slug) if self.current is not None else ""

    @property
    def history_url(self):
        return self.entry_type.history_url(self.slug)


def _find(request, entry_type, slug, follow=True):
    """The Found entry of `slug`, or a redirect to its new slug; Http404 if never used.

    With `follow` off (for a POST, which a redirect would turn into a GET), a
    renamed entry is Found under its new slug instead. One query for a live
    entry; a deleted or renamed one costs two more.
    """
    model = entry_type.model
    found = model._default_manager.all()
    if entry_type.label_field not in getattr(model, "TRANSLATED_FIELDS", ()):
        # Named in the page's language (object_name), it is read whole: its
        # translations, and what a standard name is read by (a country's code).
        found = found.only("pk", "slug", entry_type.label_field)
    current = found.filter(slug=slug).first()
    if current is not None:
        return Found(entry_type, current.pk, current, slug)
    pk = (
        entry_type.history.filter(slug=slug)
        .order_by("-history_date", "-history_id")
        .values_list("id", flat=True)
        .first()
    )
    if pk is None:
        raise Http404(f"No {entry_type.name} has ever had this address.")
    renamed = found.filter(pk=pk).first()
    if renamed is not None and not follow:
        return Found(entry_type, pk, renamed, renamed.slug)
    if renamed is not None:
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "slug": renamed.slug})
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{url}?{query}" if query else url)
    return Found(entry_type, pk, None, slug)


def _open(request, entry_type, slug):
    """(Found, its EntryHistory) for a history address; (a redirect to a new slug, None)."""
    found = _find(request, entry_type, slug)
    if isinstance(found, HttpResponse):
        return found, None
    return found, EntryHistory(entry_type, found.pk)


def _label(found, history):
    """The entry's name now, in the page's language where it has one, or the last it
    had if deleted, as its history has it (in English)."""
    if found.current is not None:
        return object_name(found.current)
    return localized(history.label(), DEFAULT)


def _problem(request, status, title, message, found=None):
    ctx = {"title": title, "message": message, "found": found}
    return render(request, "history/problem.html", ctx, status=status)


LATEST = "latest"


def _save(request, history, found, token, comparing=False):
    """(save, None) for a revision token of this entry, else (None, a 400 or 404 response).

    "latest" names the newest save, so that "compare the latest with the one
    before" has an address that does not change.
    """
    shown = (token if len(token) <= 40 else token[:39] + "…").replace("\x00", "\ufffd")
    if token == LATEST and history.latest is not None:
        return history.latest, None
    if parse_token(found.entry_type, token) is None:
        if comparing:
            message = _(
                "“%(token)s” is not a revision number. Choose a revision to compare from the "
                "entry's history."
            )
        else:
            message = _(
                "“%(token)s” is not a revision number. Choose a revision from the entry's history."
            )
        title = _("Not a revision number")
        return None, _problem(request, 400, title, message % {"token": shown}, found)
    save = history.find(token)
    if save is None:
        message = _("The history of this entry has no revision “%(token)s”.") % {"token": shown}
        return None, _problem(request, 404, _("No such revision"), message, found)
    return save, None


# -- one entry's history -------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    save: object
    what: str
    reviewed: bool
    url: str
    compare_url: str  # with the revision before; empty for the first


def entry_history(request, type_path, slug):
    found, history = _open(request, entry_types.by_path(type_path), slug)
    if history is None:
        return found
    entry_type = found.entry_type
    page, problems = paginate(request, history.saves[::-1], PER_PAGE)
    rows = []
    if page is not None:
        saves = list(page.object_list)
        compared = history.load_compared(history.entry_ids_for(saves))
        reviewed = reviewed_of(save.change_id for save in saves)
        compare_url = entry_type.history_url(slug, "entry-compare")
        rows = [
            HistoryRow(
                save,
                history.what_changed(save, compared),
                save.change_id in reviewed,
                entry_type.history_url(slug, "entry-revision", save.token),
                f"{compare_url}?to={save.token}" if save.number > 1 else "",
            )
            for save in saves
        ]
    ctx = {
        "found": found,
        "entry_type": entry_type,
        "label": _label(found, history),
        "history": history,
        "deletion": history.latest if history.deleted else None,
        "rows": rows,
        "page": page,
        "problems": problems,
        "page_urls": page_urls(request, page),
        "first_page_url": url_with(request, page=None),
        "compare_url": entry_type.history_url(slug, "entry-compare"),
    }
    return render(request, "history/entry_history.html", ctx, status=400 if problems else 200)


def revision(request, type_path, slug, token):
    found, history = _open(request, entry_types.by_path(type_path), slug)
    if history is None:
        return found
    save, problem = _save(request, history, found, token)
    if problem:
        return problem
    return _standing_page(request, history, found, save)


def _standing_page(request, history, found, save, as_of=None):
    entry_type = found.entry_type
    full = history.load_entries(history.entry_ids_for([save]))
    previous, following = history.previous(save), history.following(save)
    compare_url = entry_type.history_url(found.slug, "entry-compare")
    latest = history.latest
    ctx = {
        "found": found,
        "entry_type": entry_type,
        # The name it had then.
        "label": (
            localized(save.entry_state.label, DEFAULT)
            if save.entry_state
            else _label(found, history)
        ),
        "history": history,
        "save": save,
        "standing": standing(history, save),
        "what": history.what_changed(save, full),
        "mark": marks_of([save.change_id]).get(save.change_id),
        "as_of": as_of,
        "previous_url": _revision_url(found, previous),
        "following_url": _revision_url(found, following),
        "compare_previous_url": f"{compare_url}?to={save.token}" if previous else "",
        "compare_latest_url": (
            f"{compare_url}?from={save.token}&to={latest.token}" if latest is not save else ""
        ),
        "review_url": entry_type.history_url(found.slug, "entry-review", save.token),
    }
    return render(request, "history/revision.html", ctx)


def _revision_url(found, save):
    if save is None:
        return ""
    return found.entry_type.history_url(found.slug, "entry-revision", save.token)


def compare(request, type_path, slug):
    """?from=<revision>&to=<revision>; without `from`, the revision before `to`.

    Only the fields and rows that changed are shown, unless `all=1` asks for all."""
    found, history = _open(request, entry_types.by_path(type_path), slug)
    if history is None:
        return found
    entry_type = found.entry_type
    to_token, from_token = request.GET.get("to", ""), request.GET.get("from", "")
    if not to_token:
        message = _("Choose the two revisions to compare on the entry's history page.")
        return _problem(request, 400, _("Which revisions?"), message, found)
    newer, problem = _save(request, history, found, to_token, comparing=True)
    if problem:
        return problem
    if from_token:
        older, problem = _save(request, history, found, from_token, comparing=True)
        if problem:
            return problem
    else:
        older = history.previous(newer)
    if older is not None and older.number > newer.number:
        older, newer = newer, older
    review_token = newer.token
    everything = request.GET.get("all") == SHOW_ALL
    ctx = {
        "found": found,
        "entry_type": entry_type,
        "label": _label(found, history),
        "history": history,
        "comparison": compare_saves(history, older, newer, everything),
        "everything": everything,
        "show_all_url": url_with(request, all=SHOW_ALL),
        "changes_only_url": url_with(request, all=""),
        "same": older is newer,
        "older_url": _revision_url(found, older),
        "newer_url": _revision_url(found, newer),
        "mark": marks_of([newer.change_id]).get(newer.change_id),
        "review_url": entry_type.history_url(found.slug, "entry-review", review_token),
    }
    return render(request, "history/compare.html", ctx)


@require_POST
def review(request, type_path, slug, token):
    """Marks a save reviewed: every revision it wrote, the entry's and its rows'."""
    if not can_review(request.user):
        raise PermissionDenied(_("Only reviewers may mark revisions reviewed."))
    entry_type = entry_types.by_path(type_path)
    found = _find(request, entry_type, slug, follow=False)
    history = EntryHistory(entry_type, found.pk)
    save, problem = _save(request, history, found, token)
    if problem:
        return problem
    form = ReviewForm(request.POST)
    if not form.is_valid():
        message = " ".join(form.errors["note"])
        return _problem(request, 400, _("The note cannot be saved"), message, found)
    mark_reviewed(save.change_id, request.user, form.cleaned_data["note"])
    following = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(following if safe else _revision_url(found, save))


# -- an entry as of a date ----------------------------------------------------------


def as_of(request, entry_type, slug):
    found = _find(request, entry_type, slug)
    if isinstance(found, HttpResponse):
        return found
    form = AsOfForm(request.GET)
    if not form.is_valid():
        message = " ".join(form.errors["as_of"])
        return _problem(request, 400, _("Not a date this page can show"), message, found)
    history = EntryHistory(entry_type, found.pk)
    moment = form.end_of_day()
    save = history.at(moment)
    if save is None:
        first = history.saves[0] if history.saves else None
        words = {"this": capfirst(entry_type.words.this), "date": day(moment)}
        if first:
            message = _(
                "%(this)s did not exist yet on %(date)s. Its first revision is of %(first)s."
            ) % {**words, "first": day(first.date)}
        else:
            message = _("%(this)s did not exist yet on %(date)s.") % words
        return _problem(request, 404, _("Not in the wiki yet"), message, found)
    return _standing_page(request, history, found, save, as_of=moment)


# -- recent changes -------------------------------------------------------------------


def recent_changes(request):
    form = ChangesForm(request.GET)
    valid = form.is_valid()
    page, problems = None, []
    if valid:
        page, problems = paginate(request, changes(form.filters()), PER_PAGE, ChangesPaginator)
    query = url_with(request, page=None).partition("?")[2]
    ctx = {
        "form": form,
        "filtered": form.filtered,
        "page": page,
        "rows": page.object_list if page is not None else [],
        "limit": format_number(COUNT_AT_MOST),
        "problems": problems,
        "page_urls": page_urls(request, page),
        "first_page_url": url_with(request, page=None),
        "reset_url": request.path,
        "feed_url": reverse("partnerships:changes-feed") + (f"?{query}" if query else ""),
    }
    status = 200 if valid and not problems else 400
    return render(request, "history/changes.html", ctx, status=status)


def changes_feed(request):
    form = ChangesForm(request.GET)
    if not form.is_valid():
        problems = [
            _("%(label)s: %(text)s") % {"label": form.fields[name].label, "text": " ".join(errors)}
            for name, errors in form.errors.items()
            if name in form.fields
        ]
        body = _("These filters cannot be used:") + "\n" + "\n".join(problems) + "\n"
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
    query = url_with(request, page=None).partition("?")[2]
    host = split_domain_port(request.get_host())[0] or "localhost"
    return ChangesFeed(FeedQuery(form.filters(), query, host))(request)
