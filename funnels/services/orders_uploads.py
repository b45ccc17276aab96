"""Uploads of orders files for the browser: kept on disk until the background task has read them, mapped onto
the orders format with the practice's remembered mapping, read in the background with progress, and then
deleted. A file with any problem keeps only its problems; an accepted one keeps only the counts the figures are
made of (``funnels.services.actuals``), written in one transaction at the end.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Practice
from funnels.domain.actuals import ListedRow, NoVisits, PathCounts, Purchase, Status, funnel_places
from funnels.domain.metrics import UncomputableFunnel
from funnels.domain.plan import FunnelPlan
from funnels.interchange.orders import OrdersFileError
from funnels.interchange.orders_mapping import FIELDS, FORMAT, READY_MAPPINGS, ColumnMapping, zone_of
from funnels.models import Funnel, OrdersMapping, OrdersUpload, UploadStatus
from funnels.models.actuals import MAX_WINDOW_MINUTES
from funnels.selectors import funnel_load
from funnels.selectors_actuals import catalog_names, orders_mapping_get, orders_upload_get
from funnels.services.actuals import orders_actuals, orders_count
from funnels.services.editing import FunnelEditError

SAMPLE_BYTES = 256 * 1024
MAX_SAMPLE_PRODUCTS = 200


def mapping_for(*, practice: Practice, source: str) -> ColumnMapping:
    """The ready mapping of ``source`` with what this practice saved over it (columns, products, times)."""
    if source not in READY_MAPPINGS:
        raise FunnelEditError(f'unknown kind of export "{source}"')
    ready = READY_MAPPINGS[source]
    saved = orders_mapping_get(practice=practice, source=source)
    if saved is None:
        return ready
    return replace(
        ready,
        columns={**ready.columns, **{k: str(v) for k, v in saved.columns.items() if k in FIELDS}},
        products={str(k): str(v) for k, v in saved.products.items()},
        naive_zone=zone_of(saved.naive_offset_minutes) if not ready.is_strict else None,
        month_first=saved.month_first,
    )


def orders_upload_create(
    *,
    practice: Practice,
    funnel: Funnel,
    user: User | None,
    uploaded: UploadedFile[bytes],
    source: str,
    window_minutes: int,
) -> OrdersUpload:
    """Keep the file on disk for the worker and read just its header and first product names for the mapping.
    A file over ``ORDERS_UPLOAD_MAX_BYTES`` is refused before any of it is read (the upload form says so first)."""
    limit = int(settings.ORDERS_UPLOAD_MAX_BYTES)
    too_large = f"an orders file may be at most {limit:,} bytes; this one is larger"
    if (uploaded.size or 0) > limit:
        raise FunnelEditError(too_large)
    if funnel.practice_id != practice.pk:
        raise FunnelEditError("that funnel belongs to another practice")
    if not 0 <= window_minutes <= MAX_WINDOW_MINUTES:
        raise FunnelEditError(f"the window must be between 0 and {MAX_WINDOW_MINUTES:,} minutes")
    mapping = mapping_for(practice=practice, source=source)
    folder = Path(settings.ORDERS_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    size = 0
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            size += len(chunk)
            if size > limit:  # a file larger than it said
                break
            handle.write(chunk)
    if size > limit:
        path.unlink(missing_ok=True)
        raise FunnelEditError(too_large)
    header, products = _sample(path, mapping)
    with transaction.atomic():
        return OrdersUpload.objects.create(
            practice=practice,
            funnel=funnel,
            created_by=user,
            source=source,
            window_minutes=window_minutes,
            file_name=(uploaded.name or "orders.csv")[:255],
            stored_path=str(path),
            size=size,
            header=header,
            sample_products=products,
        )


def _sample(path: Path, mapping: ColumnMapping) -> tuple[list[str], list[str]]:
    """The header and the product names of the file's first rows (enough to map; the task reads the rest)."""
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    text = head.decode("utf-8-sig", errors="replace")
    if len(head) == SAMPLE_BYTES:
        text = text[: text.rfind("\n") + 1] or text
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    header = [name.strip() for name in rows[0]]
    wanted = mapping.columns.get("offer", "").strip().lower()
    position = next((i for i, name in enumerate(header) if name.lower() == wanted), None)
    products: dict[str, None] = {}
    if position is not None:
        for row in rows[1:]:
            if len(row) > position and row[position].strip():
                products.setdefault(row[position].strip())
            if len(products) >= MAX_SAMPLE_PRODUCTS:
                break
    return header, list(products)


def needs_mapping(*, practice: Practice, upload: OrdersUpload) -> bool:
    """An orders@1 file whose header has every required column and whose products are all offer keys goes
    straight to reading; anything else is mapped first."""
    if upload.source != FORMAT:
        return True
    keys = catalog_names(practice=practice)
    wanted = {"buyer", "offer", "placed_at", "amount"}
    return not wanted <= {name.lower() for name in upload.header} or any(p not in keys for p in upload.sample_products)


def orders_mapping_save(
    *,
    practice: Practice,
    source: str,
    columns: Mapping[str, str],
    products: Mapping[str, str],
    naive_offset_minutes: int | None,
    month_first: bool,
) -> OrdersMapping:
    """Remember how this practice's exports of this kind map (products are added to those already mapped)."""
    keys = catalog_names(practice=practice)
    for name, key in products.items():
        if key and key not in keys:
            raise FunnelEditError(f'"{name}" is mapped to "{key}", which is no offer of this practice')
    with transaction.atomic():
        saved, _ = OrdersMapping.objects.select_for_update().get_or_create(practice=practice, source=source)
        saved.columns = {k: v for k, v in columns.items() if k in FIELDS and v}
        saved.products = {**saved.products, **products}
        saved.naive_offset_minutes = naive_offset_minutes
        saved.month_first = month_first
        saved.save()
    return saved


def orders_upload_queue(*, upload: OrdersUpload, task_id: str = "") -> OrdersUpload:
    with transaction.atomic():
        OrdersUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.QUEUED, task_id=task_id[:64])
    upload.status, upload.task_id = UploadStatus.QUEUED, task_id[:64]
    return upload


def orders_upload_task_set(*, upload: OrdersUpload, task_id: str) -> None:
    OrdersUpload.objects.filter(pk=upload.pk).update(task_id=task_id[:64])


def orders_upload_run(*, practice_id: int, upload_id: int) -> str:
    """The background task's work: read the whole file with progress, keep the counts or the problems, delete the
    file. Returns the upload's final status."""
    practice = Practice.objects.get(pk=practice_id)
    upload = orders_upload_get(practice=practice, pk=upload_id)
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.READING):
        return str(upload.status)
    OrdersUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.READING, rows_read=0, bytes_read=0)
    plan = funnel_load(practice=practice, funnel=upload.funnel).plan
    path = Path(upload.stored_path)

    def progress(rows: int, done: int) -> None:
        OrdersUpload.objects.filter(pk=upload.pk).update(rows_read=rows, bytes_read=done)

    outcome: dict[str, Any]
    try:
        with path.open("rb") as stream:
            counted = orders_count(
                plan=plan,
                stream=stream,
                catalog=catalog_names(practice=practice),
                window_minutes=upload.window_minutes,
                mapping=mapping_for(practice=practice, source=upload.source),
                progress=progress,
            )
        orders_actuals(plan=plan, counted=counted)  # refuses a file with no visit before anything is kept
        outcome = {"status": UploadStatus.DONE, "result": counts_data(plan, counted.counts, counted.notes)}
        outcome["rows_read"] = counted.counts.rows
    except OrdersFileError as refused:
        problems = [[p.row, p.column, p.message] for p in refused.problems]
        outcome = {"status": UploadStatus.REFUSED, "problems": problems, "problem_count": refused.total}
    except (NoVisits, UncomputableFunnel, FileNotFoundError) as refused:
        outcome = {"status": UploadStatus.REFUSED, "problems": [[None, None, str(refused)]], "problem_count": 1}
    finally:
        path.unlink(missing_ok=True)
    with transaction.atomic():
        OrdersUpload.objects.filter(pk=upload.pk).update(stored_path="", finished_at=timezone.now(), **outcome)
    return str(outcome["status"])


def orders_upload_fail(*, upload_id: int, error: str) -> None:
    """A task that broke: the file goes, the upload says so."""
    upload = OrdersUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        return
    if upload.stored_path:
        Path(upload.stored_path).unlink(missing_ok=True)
    OrdersUpload.objects.filter(pk=upload_id).update(
        status=UploadStatus.FAILED, stored_path="", error=error[:2000], finished_at=timezone.now()
    )


# -- the counts, kept as JSON ---------------------------------------------------------------------------------------


def _rows(listed: Iterable[ListedRow]) -> list[list[Any]]:
    return [
        [
            r.purchase.row,
            r.purchase.buyer,
            r.purchase.offer,
            r.purchase.at,
            int(r.purchase.status),
            r.purchase.cents,
            r.reason,
        ]
        for r in listed
    ]


def counts_data(plan: FunnelPlan, counts: PathCounts, notes: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "places": [[str(p.stage), p.key, p.offer] for p in funnel_places(plan).all],
        "shown": counts.shown,
        "accepted": counts.accepted,
        **{
            name: getattr(counts, name)
            for name in ("visits", "explained", "off_path", "unmatched", "refunded", "failed")
        },
        **{name: getattr(counts, name) for name in ("order_cents", "later_cents", "paid_cents")},
        "off_path_rows": _rows(counts.off_path_rows),
        "unmatched_rows": _rows(counts.unmatched_rows),
        "notes": list(notes),
    }


def counts_from_data(plan: FunnelPlan, data: Mapping[str, Any]) -> PathCounts | None:
    """The kept counts, or None when the funnel's places have changed since (they would count other things)."""
    if data.get("places") != [[str(p.stage), p.key, p.offer] for p in funnel_places(plan).all]:
        return None

    def rows(key: str) -> list[ListedRow]:
        return [ListedRow(Purchase(r[0], r[1], r[2], r[3], Status(r[4]), r[5]), r[6]) for r in data.get(key, [])]

    counts = PathCounts(shown=list(data["shown"]), accepted=list(data["accepted"]))
    for name in (
        "visits",
        "explained",
        "off_path",
        "unmatched",
        "refunded",
        "failed",
        "order_cents",
        "later_cents",
        "paid_cents",
    ):
        setattr(counts, name, int(data[name]))
    counts.off_path_rows, counts.unmatched_rows = rows("off_path_rows"), rows("unmatched_rows")
    return counts


def demo_orders_load(*, practice: Practice, funnel_slug: str = "calm-course-classic") -> OrdersUpload | None:
    """The demo's orders file read into its classic funnel (once), so the reality check has something to show."""
    from funnels.services.demo import DEMO_DIR

    funnel = Funnel.objects.filter(practice=practice, slug=funnel_slug).first()
    if funnel is None or OrdersUpload.objects.filter(practice=practice, funnel=funnel).exists():
        return None
    source = DEMO_DIR / "calm-classic-orders.csv"
    folder = Path(settings.ORDERS_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    path.write_bytes(source.read_bytes())
    header, products = _sample(path, READY_MAPPINGS[FORMAT])
    upload = OrdersUpload.objects.create(
        practice=practice,
        funnel=funnel,
        source=FORMAT,
        file_name=source.name,
        stored_path=str(path),
        size=path.stat().st_size,
        header=header,
        sample_products=products,
        status=UploadStatus.QUEUED,
    )
    orders_upload_run(practice_id=practice.pk, upload_id=upload.pk)
    upload.refresh_from_db()
    return upload
