import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from ... import services
from ...classifier import FIELDS


class Command(BaseCommand):
    help = "从 CSV 导入带标签的历史文本，训练并启用该字段的分类模型，输出交叉验证准确率。"

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="UTF-8 CSV 文件")
        parser.add_argument("--text-column", required=True)
        parser.add_argument("--label-column", required=True)
        parser.add_argument("--field", required=True, choices=FIELDS)
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--chars-only", action="store_true", help="只用字 n-gram（预测更快）")
        parser.add_argument("--no-activate", action="store_true")

    def handle(self, *args, **options):
        csv.field_size_limit(sys.maxsize)
        text_col, label_col = options["text_column"], options["label_column"]
        try:
            with open(options["csv"], encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {text_col, label_col} - set(reader.fieldnames or ())
                if missing:
                    raise CommandError(f"CSV 缺少列：{', '.join(sorted(missing))}")
                rows = [
                    ((row[text_col] or "").lstrip("\ufeff"), (row[label_col] or "").strip()) for row in reader
                ]
        except OSError as exc:
            raise CommandError(str(exc))
        added = services.training_examples_import(field=options["field"], rows=rows)
        try:
            model = services.classifier_train(
                field=options["field"],
                activate=not options["no_activate"],
                folds=options["folds"],
                words=not options["chars_only"],
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        m = model.metrics
        self.stdout.write(
            f"cross-validated accuracy: {m['cv_accuracy']:.4f} (macro-F1 {m['cv_macro_f1']:.4f}, "
            f"{m['cv_folds']}-fold, {m['n_examples']} examples, {added} newly imported, "
            f"{m['train_seconds']} s) model {model.name}{' active' if model.is_active else ''}"
        )
