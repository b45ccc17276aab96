"""Import and export in the browser (DESIGN §4, §6): a funnel file in, a funnel file out.

Export is a download of exactly what ``funnel_export`` writes; every role may take one.

Import is two posts, so that nothing is written before the coach has seen what will happen. The first
uploads a file and answers with what is wrong with it (every problem with its JSON path) or with what it
would do: the funnel, which offers it adds to the catalog and which it reuses, its findings and its AOV,
and whatever clashes with the catalog. The second confirms. It carries the file's text back in a hidden
field, which is read and checked again in full, as if it were a new upload, before ``funnel_import`` writes
it, all or nothing; a catalog that changed in between is caught by that check and reported the same way.

An upload is kept in memory up to the format's 1 MB and only counted past it (see ``CappedUploadHandler``),
so a huge file is refused without being stored. A refused file gets 200 and the page that says why, as a
re-shown form does (the browser would log any 4xx page load as a failed resource); only a confirmation no page
could have sent (a missing file text, a malformed address) is a 400.

The capped handler must be installed before the body is parsed, and the CSRF check parses it, so the page is
``csrf_exempt`` outside and ``csrf_protect`` inside, as Django's upload-handler documentation shows.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import workspace_required
from core.money import format_money
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE
from funnels.domain.plan import OfferSpec
from funnels.interchange.models import MAX_FILE_BYTES, FunnelFileError, Problem
from funnels.models import Funnel
from funnels.selectors import FunnelNotFound, funnel_get
from funnels.services.transfer import ImportCheck, funnel_export, funnel_import, funnel_import_check
from offers.domain.kinds import OfferKind

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_MAX = 58
RESERVED_SLUGS = frozenset({"new", "import"})  # /funnels/new/ and /funnels/import/ are pages, not funnels
FILE_NAME_MAX = 120
TOO_BIG = f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most a funnel file may be."


# -- export ------------------------------------------------------------------------------------------------


def funnel_or_404(request: HttpRequest, slug: str) -> Funnel:
    try:
        return funnel_get(practice=request.workspace.practice, slug=slug)  # type: ignore[attr-defined]
    except FunnelNotFound as missing:
        raise Http404(str(missing)) from None


@require_safe
@workspace_required()
def funnel_export_download(request: HttpRequest, slug: str) -> HttpResponse:
    funnel = funnel_or_404(request, slug)
    text = funnel_export(practice=request.workspace.practice, funnel=funnel)  # type: ignore[attr-defined]
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{funnel.slug}.json")
    response["Cache-Control"] = "private, no-store"
    return response


# -- import: forms -----------------------------------------------------------------------------------------


class CappedUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory up to ``limit`` bytes; past that it only counts, so the file's
    ``size`` is still its true size and the view can refuse it without anything big being stored."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int = MAX_FILE_BYTES) -> None:
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) <= self.limit:
            self.kept.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        kept = self.kept if file_size <= self.limit else BytesIO()
        kept.seek(0)
        return InMemoryUploadedFile(
            file=kept,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def clean_slug(value: str) -> str:
    slug = value.strip()
    if not slug:
        return ""
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise forms.ValidationError(
            f"Use 1-{SLUG_MAX} lower-case letters, digits and single hyphens, such as calm-spring-launch."
        )
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(f'"{slug}" is the address of one of the app\'s pages; choose another.')
    return slug


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Funnel file",
        help_text="An Offer Architect funnel file (.json) of at most 1 MB, such as one exported from a funnel.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose a funnel file (.json) to import.", "empty": "The file is empty."},
    )
    slug = forms.CharField(
        required=False,
        max_length=200,
        label="Address (optional)",
        help_text="The funnel's address: /funnels/<address>/. Left empty, it is made from the funnel's name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, auto_id="import-%s", **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:  # before reading a byte of it
            raise forms.ValidationError(TOO_BIG, code="too_big")
        return upload

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])


class ConfirmForm(forms.Form):
    """The second post. ``document`` is whatever the browser sent back: it is checked again in full."""

    document = forms.CharField(
        strip=False, error_messages={"required": "The confirmation did not carry the file; choose it again."}
    )
    slug = forms.CharField(required=False, max_length=200)
    file_name = forms.CharField(required=False, max_length=1000)

    def clean_document(self) -> str:
        # a form post sends line breaks as CRLF; JSON allows raw line breaks only between values
        return self.cleaned_data["document"].replace("\r\n", "\n")

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])

    def clean_file_name(self) -> str:
        return shown_file_name(self.cleaned_data["file_name"])


def shown_file_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    return name if len(name) <= FILE_NAME_MAX else name[: FILE_NAME_MAX - 1] + "…"


# -- import: the page --------------------------------------------------------------------------------------


@csrf_exempt  # the CSRF check reads the body: it runs inside, once the capped upload handler is in place
@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def funnel_import_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers = [CappedUploadHandler(request)]
    return import_page(request)


@csrf_protect
def import_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request, upload=UploadForm())
    if "document" in request.POST:
        return confirm(request)
    return upload(request)


def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, upload=form)
    received: UploadedFile = form.cleaned_data["file"]
    raw, slug, file_name = received.read(), form.cleaned_data["slug"], shown_file_name(received.name)
    check = checked(request, raw=raw, slug=slug, file_name=file_name)
    if isinstance(check, HttpResponse):
        return check
    text = raw.decode("utf-8").removeprefix("\ufeff")  # the check has read it as UTF-8 already
    return page(request, check=check, file_name=file_name, document=text, slug=slug)


def confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        problems = tuple(
            Problem("(file)" if name == "document" else name, " ".join(errors)) for name, errors in form.errors.items()
        )
        return page(request, upload=UploadForm(), problems=problems, status=400)
    document, slug, file_name = form.cleaned_data["document"], form.cleaned_data["slug"], form.cleaned_data["file_name"]
    check = checked(request, raw=document, slug=slug, file_name=file_name)
    if isinstance(check, HttpResponse):
        return check
    try:
        result = funnel_import(practice=request.workspace.practice, raw=document, slug=slug or None)  # type: ignore[attr-defined]
    except (FunnelFileError, IntegrityError) as changed:
        # the catalog or the funnels changed between the check above and the write; nothing was written
        again = checked(request, raw=document, slug=slug, file_name=file_name)
        if isinstance(again, HttpResponse):
            return again
        messages.error(
            request,
            "Your catalog or funnels changed while this file was being imported, so nothing "
            "was written. Here is what importing it would do now.",
        )
        problems = changed.problems if isinstance(changed, FunnelFileError) else ()
        return page(request, check=again, problems=problems, file_name=file_name, document=document, slug=slug)
    funnel = result.funnel
    created, reused = len(result.offers_created), len(result.offers_reused)
    parts = [f"added {created} offer{'s' if created != 1 else ''} to your catalog"] if created else []
    parts += [f"reused {reused} offer{'s' if reused != 1 else ''} already in it"] if reused else []
    messages.success(request, f'Imported "{funnel.name}". It {" and ".join(parts)}.')
    return HttpResponseRedirect(reverse("funnels:editor", args=[funnel.slug]), status=303)


def checked(request: HttpRequest, *, raw: bytes | str, slug: str, file_name: str) -> ImportCheck | HttpResponse:
    """What importing the file would do, or the page saying why it cannot be imported (nothing is written)."""
    practice = request.workspace.practice  # type: ignore[attr-defined]
    try:
        check = funnel_import_check(practice=practice, raw=raw, slug=slug or None)
    except FunnelFileError as unreadable:
        again = UploadForm(initial={"slug": slug})
        return page(request, upload=again, problems=unreadable.problems, file_name=file_name)
    if check.clashes:
        return page(request, upload=UploadForm(initial={"slug": slug}), check=check, file_name=file_name)
    return check


def page(
    request: HttpRequest,
    *,
    upload: UploadForm | None = None,
    problems: tuple[Problem, ...] = (),
    check: ImportCheck | None = None,
    file_name: str = "",
    document: str = "",
    slug: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "funnels",
        "upload_form": upload,
        "problems": problems,
        "check": check,
        "file_name": file_name,
        "document": document,
        "slug": slug,
        "max_mb": MAX_FILE_BYTES // 1_000_000,
    }
    if check is not None:
        context |= summary_context(check)
    return render(request, "funnels/import.html", context, status=status)


def summary_context(check: ImportCheck) -> dict[str, Any]:
    plan = check.plan

    def offers(specs: tuple[OfferSpec, ...]) -> list[dict[str, str]]:
        """In the order a buyer meets the kinds (core, bumps, upsells, downsells, cross-sells), then by name."""
        kinds = list(OfferKind)
        return [
            {"key": s.key, "name": s.name, "kind": s.kind.label, "price": format_money(s.price, s.currency)}
            for s in sorted(specs, key=lambda s: (kinds.index(s.kind), s.name.casefold(), s.key))
        ]

    parts = [
        (len(plan.bumps), "order bump", "order bumps"),
        (len(plan.checkout_cross_sells), "cross-sell at the checkout", "cross-sells at the checkout"),
        (len(plan.steps), "one-click offer after payment", "one-click offers after payment"),
        (len(plan.thank_you_cross_sells), "cross-sell on the thank-you page", "cross-sells on the thank-you page"),
    ]
    return {
        "plan": plan,
        "created": offers(check.offers_created),
        "matched": offers(check.offers_matched),
        "step_parts": [f"{n} {one if n == 1 else many}" for n, one, many in parts if n],
        "aov_text": format_money(check.aov, plan.currency) if check.aov is not None else "",
        "core_price": format_money(plan.core_offer.price, plan.currency) if plan.core_offer else "",
        "aov_definition": DEFINITIONS["aov"],
        "illustrative_note": ILLUSTRATIVE_NOTE,
    }
