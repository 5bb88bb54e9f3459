from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...classifier import FIELDS
from ._lines import emit, input_lines

BATCH = 512


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "逐行读取标准输入的文本，给出指定字段的分类建议，每行输出一个 JSON 对象。"

    def add_arguments(self, parser):
        parser.add_argument("--field", required=True, choices=FIELDS)

    def handle(self, *args, **options):
        field = options["field"]
        batch: list[str] = []
        try:
            for text in input_lines(options.get("stdin")):
                batch.append(text)
                if len(batch) >= BATCH:
                    self._flush(field, batch)
            self._flush(field, batch)
        except ValueError as exc:
            raise CommandError(str(exc))

    def _flush(self, field: str, batch: list[str]) -> None:
        for text, p in zip(batch, services.predict_field(field, batch), strict=True):
            emit(self.stdout, {"text": text, "label": p.label, "score": round(p.score, 4), "model": p.model})
        batch.clear()
