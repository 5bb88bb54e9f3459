from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def retrain_classifiers() -> None:
    """Periodic: train the fields whose labelled history has grown enough (idempotent)."""
    services.classifier_retrain_due()
