"""The actuals page: upload, map, read in the background (immediately under test), the figures, "use the observed
rates" as one version; roles, other practices, atomicity; and the task on the database and the RQ backends."""

from __future__ import annotations

import io
from contextlib import nullcontext
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from funnels.models import Funnel, FunnelStep, OrdersMapping, OrdersUpload, UploadStatus
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import
from tests.factories import make_practice, signed_in_client

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ORDERS = (DEMO_DIR / "calm-classic-orders.csv").read_bytes()


@pytest.fixture
def classic(db, tmp_path, settings) -> Funnel:  # type: ignore[no-untyped-def]
    settings.ORDERS_UPLOAD_DIR = tmp_path / "orders"
    practice = make_practice()
    return funnel_import(practice=practice, raw=(DEMO_DIR / "calm-classic.json").read_bytes()).funnel


def url(funnel: Funnel, name: str = "actuals", *args: object) -> str:
    return reverse(f"funnels:{name}", args=[funnel.slug, *args])


def post_upload(
    client: Client, funnel: Funnel, raw: bytes = ORDERS, source: str = "offer-architect/orders@1", window: int = 60
):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile("orders.csv", raw, content_type="text/csv")
    return client.post(url(funnel, "actuals-upload"), {"file": file, "source": source, "window": window})


@override_settings(TASKS=IMMEDIATE)
def test_an_orders_file_is_read_and_the_page_shows_assumed_against_observed(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    response = post_upload(client, classic)
    assert response.status_code == 302
    upload = OrdersUpload.objects.get()
    assert upload.status == UploadStatus.DONE and upload.result["visits"] == 1500
    assert upload.stored_path == "" and not list(Path(settings.ORDERS_UPLOAD_DIR).iterdir())  # the file is gone
    page = client.get(url(classic)).content.decode()
    assert "1,500 visits" in page
    assert "You assumed 20% for Three 1-on-1 coaching calls; 1,500 buyers saw it and 9.4% said yes" in page
    assert 'id="observed-diagram-title"' in page and "Use the observed rates" in page
    assert "What to test next" in page


@override_settings(TASKS=IMMEDIATE)
def test_use_the_observed_rates_saves_them_as_one_version(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    post_upload(client, classic)
    upload = OrdersUpload.objects.get()
    before = Funnel.objects.get(pk=classic.pk).version
    response = client.post(url(classic, "actuals-apply", upload.pk), {"version": before})
    assert response.status_code == 302
    assert Funnel.objects.get(pk=classic.pk).version == before + 1
    rates = dict(FunnelStep.objects.filter(funnel=classic).values_list("key", "take_rate"))
    shown = dict(zip([p[1] for p in upload.result["places"]], upload.result["shown"], strict=True))
    accepted = dict(zip([p[1] for p in upload.result["places"]], upload.result["accepted"], strict=True))
    for key, rate in rates.items():
        assert rate == (Decimal(accepted[key]) / Decimal(shown[key])).quantize(Decimal("0.0001"))
    # the page now finds no wrong assumption, and a second click made from the old copy is refused
    assert "Every assumed rate lies inside its observed interval." in client.get(url(classic)).content.decode()
    client.post(url(classic, "actuals-apply", upload.pk), {"version": before})
    assert Funnel.objects.get(pk=classic.pk).version == before + 1


@override_settings(TASKS=IMMEDIATE)
def test_a_file_with_problems_keeps_only_its_problems_and_changes_nothing(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    bad = ORDERS + b"zed,calm-course,last tuesday,97.00,,USD,paid\n"
    post_upload(client, classic, bad)
    upload = OrdersUpload.objects.get()
    assert upload.status == UploadStatus.REFUSED and upload.result is None and upload.stored_path == ""
    assert upload.problems == [
        [2481, "placed_at", '"last tuesday" is not a date and time (ISO 8601, like 2026-03-01T09:30:00+01:00)']
    ]
    page = client.get(url(classic)).content.decode()
    assert "Row 2481, column <code>placed_at</code>" in page and "nothing from it was kept" in page
    assert Funnel.objects.get(pk=classic.pk).version == classic.version


# FILE_UPLOAD_MAX_MEMORY_SIZE: what Django would otherwise write to a temporary file
@override_settings(TASKS=IMMEDIATE, ORDERS_UPLOAD_MAX_BYTES=1024, FILE_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_file_over_the_upload_limit_is_refused_beside_the_file_field_and_never_kept(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    response = post_upload(client, classic)
    assert response.status_code == 422
    page = response.content.decode()
    size = len(ORDERS) / 1024
    said = f"This file is {size:,.1f} KiB; an orders file may be at most 1 KiB."
    assert said in page
    # beside the file field: its error list comes right before its input, in the upload form
    form = page[page.index('class="upload-form"') :]
    assert form.index(said) < form.index('type="file"') < form.index('name="source"')
    assert "At most 1 KiB." in form
    assert not OrdersUpload.objects.exists()
    assert not Path(settings.ORDERS_UPLOAD_DIR).exists() or not list(Path(settings.ORDERS_UPLOAD_DIR).iterdir())
    # a file within the limit still goes through, and the token is still checked
    small = b"buyer,offer,placed_at,amount\ncus_1,calm-course,2026-01-05T10:00:00+00:00,97.00\n"
    assert post_upload(client, classic, small).status_code == 302
    assert OrdersUpload.objects.get().status == UploadStatus.DONE
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert post_upload(strict, classic, small).status_code == 403


def test_the_size_limit_keeps_no_byte_past_it(rf: RequestFactory) -> None:
    from django.core.files.uploadhandler import MemoryFileUploadHandler, StopFutureHandlers

    from funnels.forms_actuals import SizeLimitedUpload, TooLargeUpload

    request = rf.post("/")
    limited, memory = SizeLimitedUpload(request, 10), MemoryFileUploadHandler(request)
    request.upload_handlers = [limited, memory]
    for handler in request.upload_handlers:
        handler.handle_raw_input(io.BytesIO(), request.META, 100, "b")
        with pytest.raises(StopFutureHandlers) if handler is memory else nullcontext():
            handler.new_file("file", "orders.csv", "text/csv", 100)
    passed = [limited.receive_data_chunk(chunk, start) for chunk, start in ((b"12345", 0), (b"67890", 5), (b"x", 10))]
    assert passed == [b"12345", b"67890", None]  # the next handler (memory, or a temporary file) gets no more
    refused = limited.file_complete(11)
    assert isinstance(refused, TooLargeUpload) and refused.size == 11 and refused.name == "orders.csv"
    assert memory.file.closed  # and what it got before the limit is let go


@override_settings(TASKS=IMMEDIATE)
def test_a_stripe_export_is_mapped_and_the_mapping_remembered(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    stripe = (
        b"id,Description,Created (UTC),Amount,Currency,Status,Customer ID\n"
        b"ch_1,Calm course,2026-01-05 10:00,97.00,usd,Paid,cus_1\n"
        b"ch_2,Three calls,2026-01-05 10:02,300.00,usd,Paid,cus_1\n"
        b"ch_3,T-shirt,2026-01-05 10:03,20.00,usd,Paid,cus_1\n"
    )
    response = post_upload(client, classic, stripe, source="stripe")
    upload = OrdersUpload.objects.get()
    assert response["Location"] == url(classic, "actuals-map", upload.pk)
    form = client.get(response["Location"]).content.decode()
    assert "Calm course" in form and "Customer ID" in form
    chosen = {
        "column_buyer": "Customer ID",
        "column_offer": "Description",
        "column_placed_at": "Created (UTC)",
        "column_amount": "Amount",
        "column_order_id": "id",
        "column_currency": "Currency",
        "column_status": "Status",
        "product_0": "calm-course",
        "product_1": "three-calls",
        "product_2": "-",
        "offset": "0",
    }
    client.post(response["Location"], chosen)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE
    assert upload.result["visits"] == 1 and upload.result["unmatched"] == 1
    remembered = OrdersMapping.objects.get(practice=classic.practice, source="stripe")
    assert remembered.products == {"Calm course": "calm-course", "Three calls": "three-calls", "T-shirt": ""}


@override_settings(TASKS=IMMEDIATE)
def test_viewers_read_but_cannot_upload_or_use_the_rates(classic: Funnel) -> None:
    coach, viewer = signed_in_client(classic.practice, "coach"), signed_in_client(classic.practice, "viewer")
    post_upload(coach, classic)
    upload = OrdersUpload.objects.get()
    page = viewer.get(url(classic))
    assert page.status_code == 200 and "Use the observed rates" not in page.content.decode()
    assert post_upload(viewer, classic).status_code == 403
    assert viewer.post(url(classic, "actuals-apply", upload.pk), {"version": 1}).status_code == 403


@override_settings(TASKS=IMMEDIATE)
def test_another_practices_funnel_and_uploads_answer_404(classic: Funnel) -> None:
    post_upload(signed_in_client(classic.practice, "coach"), classic)
    upload = OrdersUpload.objects.get()
    stranger = signed_in_client(make_practice(), "owner")
    assert stranger.get(url(classic)).status_code == 404
    assert stranger.get(url(classic, "actuals-progress", upload.pk)).status_code == 404
    assert stranger.post(url(classic, "actuals-apply", upload.pk), {"version": 1}).status_code == 404


@override_settings(TASKS=DATABASE)
def test_while_the_task_waits_the_page_shows_progress_and_the_database_worker_reads_it(classic: Funnel) -> None:
    client = signed_in_client(classic.practice, "coach")
    post_upload(client, classic)
    upload = OrdersUpload.objects.get()
    assert upload.status == UploadStatus.QUEUED and upload.task_id
    page = client.get(url(classic)).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    partial = client.get(url(classic, "actuals-progress", upload.pk), headers={"HX-Request": "true"})
    assert b"<progress" in partial.content
    # the worker closes "old" connections between tasks; in a test the one connection holds the test's own
    # transaction, and PostgreSQL's would be closed under it, so that housekeeping is left out here
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.result["visits"] == 1500
    done = client.get(url(classic, "actuals-progress", upload.pk), headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


REDIS = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_the_task_runs_on_rq_where_redis_is_set(classic: Funnel) -> None:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": REDIS}},
    ):
        queue = django_rq.get_queue("default", job_class=Job)
        queue.empty()
        client = signed_in_client(classic.practice, "coach")
        post_upload(client, classic)
        upload = OrdersUpload.objects.get()
        assert upload.status == UploadStatus.QUEUED and queue.count == 1
        worker = SimpleWorker(
            [queue], connection=queue.connection, job_class=Job
        )  # in this process: sees the test's rows
        worker.work(burst=True)
        upload.refresh_from_db()
        assert upload.status == UploadStatus.DONE and upload.result["off_path"] > 0
