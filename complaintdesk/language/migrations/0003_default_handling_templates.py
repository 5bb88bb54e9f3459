from django.db import migrations

# Starting 预案 (handling-plan templates) for the quick-reply picker, written in the service
# language of seeds 001 (规范用语) and 004 (处理方案); admins edit them. A test runs each through the
# forbidden-phrase checker.
TEMPLATES = [
    (
        "上门维修预约",
        "维修",
        "非常抱歉给您带来不便。我们已安排维修师傅于约定时间上门检查处理，师傅出发前会提前与您电话联系，"
        "请您保持电话畅通。",
    ),
    (
        "漏水维修及恢复",
        "漏水",
        "经核查，漏水原因已找到。我们将先修复漏水点，待墙面干透后为您恢复受损的墙面和吊顶，费用由我方承担，"
        "施工前会与您确认时间。",
    ),
    (
        "补偿致歉",
        "补偿",
        "对于给您造成的困扰，我们深表歉意。经主管批准，我们将为您提供以下补偿，请您确认是否接受。",
    ),
    (
        "暂时无法解决的说明",
        "委婉表达",
        "您反映的问题我们非常重视。目前受条件所限暂时无法彻底解决，我能做到的是先采取临时措施，"
        "并在有进展时第一时间告知您。",
    ),
    (
        "延期告知",
        "等待",
        "很抱歉让您久等了。您的问题仍在处理中，因需等待配件到货，预计需要再延长几天，我们会按时向您告知进展。",
    ),
    (
        "转交责任部门",
        "衔接",
        "您反映的情况我已详细记录，现转交责任部门专人处理，处理结果会由我们客服中心回复您，请您放心。",
    ),
]


def create(apps, schema_editor):
    Template = apps.get_model("language", "HandlingTemplate")
    for title, situation, body in TEMPLATES:
        Template.objects.get_or_create(title=title, defaults={"situation": situation, "body": body})


class Migration(migrations.Migration):
    dependencies = [("language", "0002_handling_templates")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
