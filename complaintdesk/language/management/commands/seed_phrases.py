from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = "把内置的服务用语库（规范用语与禁忌用语）写入数据库；已存在的条目不变。"

    def handle(self, *args, **options):
        created = services.seed_default_phrases()
        self.stdout.write(f"新增 {created} 条服务用语")
