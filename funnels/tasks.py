"""Background work through Django's tasks framework (``django.tasks``): the database backend by default
(``manage.py db_worker``), RQ on Redis where ``REDIS_URL`` is set (``manage.py rqworker --job-class
django_tasks_rq.Job default``). A task only names what to do; the service does it."""

from __future__ import annotations

from django.tasks import task

from funnels.services.orders_uploads import orders_upload_fail, orders_upload_run


@task()
def read_orders_upload(practice_id: int, upload_id: int) -> str:
    """Read an uploaded orders file in the background; the page polls the upload for its progress."""
    try:
        return orders_upload_run(practice_id=practice_id, upload_id=upload_id)
    except Exception as error:
        orders_upload_fail(upload_id=upload_id, error=f"{type(error).__name__}: {error}")
        raise
