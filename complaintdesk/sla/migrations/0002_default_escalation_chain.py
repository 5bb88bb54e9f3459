from django.db import migrations

# 服务上移 (SPEC §5): handler → department head → supervisor → management. Admins may edit it.
DEFAULT_CHAIN = [
    (1, 0, "handler", "处理人"),
    (2, 1, "department_head", "部门负责人"),
    (3, 2, "supervisor", "主管"),
    (4, 3, "manager", "经理"),
]


def create_chain(apps, schema_editor):
    Step = apps.get_model("sla", "EscalationChainStep")
    if Step.objects.exists():
        return
    Step.objects.bulk_create(
        [Step(order=o, level=lv, notify_role=role, name=name) for o, lv, role, name in DEFAULT_CHAIN]
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create_chain, migrations.RunPython.noop)]
