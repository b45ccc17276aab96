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

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from funnels.forms import ConfirmForm, UploadForm, shown_file_name
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.interchange.problems import FunnelFileError, Problem
from funnels.presenters.import_summary import import_summary
from funnels.services.transfer import ImportCheck, funnel_export, funnel_import, funnel_import_check
from funnels.uploads import CappedUploadHandler
from funnels.views.lookups import funnel_or_404

# -- export ------------------------------------------------------------------------------------------------


@require_safe
@workspace_required()
def funnel_export_download(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = funnel_or_404(request.workspace.practice, slug)
    text = funnel_export(practice=request.workspace.practice, funnel=funnel)
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{funnel.slug}.json")
    response["Cache-Control"] = "private, no-store"
    return response


# -- import: the page --------------------------------------------------------------------------------------


@csrf_exempt  # the CSRF check reads the body: it runs inside, once the capped upload handler is in place
@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def funnel_import_page(request: WorkspaceRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers = [CappedUploadHandler(request)]
    return import_page(request)


@csrf_protect
def import_page(request: WorkspaceRequest) -> HttpResponse:
    if request.method != "POST":
        return page(request, upload=UploadForm())
    if "document" in request.POST:
        return confirm(request)
    return upload(request)


def upload(request: WorkspaceRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, upload=form)
    received: UploadedFile[bytes] = form.cleaned_data["file"]
    raw, slug, file_name = received.read(), form.cleaned_data["slug"], shown_file_name(received.name)
    check = checked(request, raw=raw, slug=slug, file_name=file_name)
    if isinstance(check, HttpResponse):
        return check
    text = raw.decode("utf-8").removeprefix("\ufeff")  # the check has read it as UTF-8 already
    return page(request, check=check, file_name=file_name, document=text, slug=slug)


def confirm(request: WorkspaceRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        problems = tuple(
            Problem("(file)" if name == "document" else name, " ".join(str(e) for e in errors))
            for name, errors in form.errors.items()
        )
        return page(request, upload=UploadForm(), problems=problems, status=400)
    document, slug, file_name = form.cleaned_data["document"], form.cleaned_data["slug"], form.cleaned_data["file_name"]
    check = checked(request, raw=document, slug=slug, file_name=file_name)
    if isinstance(check, HttpResponse):
        return check
    try:
        result = funnel_import(
            practice=request.workspace.practice, raw=document, slug=slug or None, actor=actor_of(request)
        )
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


def checked(request: WorkspaceRequest, *, raw: bytes | str, slug: str, file_name: str) -> ImportCheck | HttpResponse:
    """What importing the file would do, or the page saying why it cannot be imported (nothing is written)."""
    practice = request.workspace.practice
    try:
        check = funnel_import_check(practice=practice, raw=raw, slug=slug or None)
    except FunnelFileError as unreadable:
        again = UploadForm(initial={"slug": slug})
        return page(request, upload=again, problems=unreadable.problems, file_name=file_name)
    if check.clashes:
        return page(request, upload=UploadForm(initial={"slug": slug}), check=check, file_name=file_name)
    return check


def page(
    request: WorkspaceRequest,
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
        context |= import_summary(check)
    return render(request, "funnels/import.html", context, status=status)
