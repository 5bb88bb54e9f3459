from django.db import migrations

# Customer messages (issue 5 §4). Plain, polite, no forbidden phrases; admins may edit them.
TEMPLATES = [
    ("receipt", "受理通知", "{name}您好，您的投诉已受理，编号{number}。我们将在{due}前给您答复，请您放心。"),
    ("first_answer", "首次答复通知", "{name}您好，您反映的问题（编号{number}）我们已安排专人跟进，进展会及时告知您。"),
    (
        "progress",
        "进度告知",
        "{name}您好，您的投诉{number}仍在处理中，我们正在积极跟进，有结果会第一时间告知您，感谢您的耐心。",
    ),
    ("result", "处理结果通知", "{name}您好，您的投诉{number}已处理完毕，{centre}将尽快与您联系回访，感谢您的支持。"),
    ("visit", "回访结案通知", "{name}您好，感谢您接受回访，您的投诉{number}已结案。如有需要，欢迎随时联系{centre}。"),
]


def create(apps, schema_editor):
    Template = apps.get_model("notifications", "MessageTemplate")
    for code, name, body in TEMPLATES:
        Template.objects.get_or_create(code=code, defaults={"name": name, "body": body, "channel": "sms"})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
