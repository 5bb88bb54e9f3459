from django.db import migrations

# The customer portal (issue 10 §4): every customer SMS carries the signed link to the case, and
# sign-in codes go out as their own template. A template an admin already changed to use {link}
# is left alone.
LINKED = ["receipt", "first_answer", "progress", "result", "visit"]
LINK_TEXT = "进度查询：{link}"
LOGIN_CODE = ("login_code", "自助登录验证码", "您的验证码为{code}，{minutes}分钟内有效，请勿告诉他人。如非本人操作请忽略。")


def forwards(apps, schema_editor):
    Template = apps.get_model("notifications", "MessageTemplate")
    for template in Template.objects.filter(code__in=LINKED):
        if "{link}" not in template.body:
            template.body = template.body + LINK_TEXT
            template.save(update_fields=["body"])
    code, name, body = LOGIN_CODE
    Template.objects.get_or_create(code=code, defaults={"name": name, "body": body, "channel": "sms"})


def backwards(apps, schema_editor):
    Template = apps.get_model("notifications", "MessageTemplate")
    for template in Template.objects.filter(code__in=LINKED):
        if template.body.endswith(LINK_TEXT):
            template.body = template.body[: -len(LINK_TEXT)]
            template.save(update_fields=["body"])
    Template.objects.filter(code=LOGIN_CODE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_notification_message")]

    operations = [migrations.RunPython(forwards, backwards)]
