from django.core.management.base import BaseCommand
from django.db import DatabaseError

from ... import services
from ._lines import emit, input_lines


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "逐行读取标准输入的文本，检查禁忌用语，每行输出一个 JSON 对象。"

    def handle(self, *args, **options):
        try:
            checker = services.active_checker()
        except DatabaseError:  # not migrated yet: the packaged library still applies
            checker = services._default_checker()
        for text in input_lines(options.get("stdin")):
            violations = [
                {
                    "start": v.start,
                    "end": v.end,
                    "phrase": v.phrase,
                    "rule": v.rule,
                    "suggestion": v.suggestion,
                }
                for v in checker.check(text)
            ]
            emit(self.stdout, {"text": text, "violations": violations})
