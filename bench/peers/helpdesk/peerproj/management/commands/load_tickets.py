"""Load N realistic tickets (and ~2 follow-ups each) into django-helpdesk with PostgreSQL COPY.

Texts: ComplaintDesk's committed sample reviews (complaintdesk/demo/data/complaints.csv, columns
cat,review), the product group named as the demo names it ("热水器", "社区商城水果", ...); one ticket in
ten is a property-management complaint (门禁, 电梯, 漏水, ...) like bench/queue_page.py's subjects, so a
search for 门禁 finds about 2%. Each ticket has a submitter e-mail (a mobile@139.com or a QQ number)
and the mobile in its description ("联系电话：138..."). Created dates spread over --years up to --end,
ids in time order; recent tickets are mostly open, old ones mostly resolved/closed.

Follow-ups as helpdesk writes them: "Ticket Opened" (public, the description) for every ticket, then
a comment, a "Resolved" (new_status 3, the resolution) and/or a "Closed" (new_status 4): ~2.4 each.
"""

import csv
import datetime as dt
import json
import random
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from helpdesk.models import FollowUp, Queue, Ticket

CSV = settings.REPO / "complaintdesk" / "demo" / "data" / "complaints.csv"
ITEM = {
    "书籍": "社区书店图书",
    "平板": "平板电脑",
    "手机": "手机",
    "水果": "社区商城水果",
    "洗发水": "社区商城洗发水",
    "热水器": "热水器",
    "蒙牛": "社区商城牛奶",
    "衣服": "社区商城服装",
    "计算机": "笔记本电脑",
    "酒店": "会所客房",
}
PROPERTY = [
    ("小区门禁失灵", "小区门禁刷卡失灵，进不了单元门，联系物业多次未处理。"),
    ("门禁卡补办收费不合理", "门禁卡坏了，补办要收费一百元，不合理。"),
    ("电梯停运", "电梯经常停运，老人上下楼很不方便，物业不管。"),
    ("楼上漏水", "楼上漏水到我家天花板，已经发霉，物业推给楼上住户。"),
    ("噪音扰民", "晚上施工噪音太吵睡不着，投诉多次没有结果。"),
    ("物业费多收", "物业费多收了两百元，要求退还并说明。"),
    ("垃圾无人清理", "垃圾好几天没人清理，楼道很臭。"),
    ("停车收费不合理", "停车收费标准没有公示，临时停车收费过高。"),
    ("燃气异味", "厨房有燃气异味，报修后一直没人上门检查。"),
    ("快递丢失无人处理", "快递放在门岗丢失，物业说不负责。"),
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "177",
    "180",
    "186",
    "187",
    "188",
    "189",
]
RESOLUTIONS = [
    "已安排师傅上门处理，客户确认问题解决。",
    "已为客户办理退换货并致歉。",
    "已退还差价并说明促销规则。",
    "经核查情况属实，已整改并回访客户，客户满意。",
    "已协调相关部门处理，客户表示认可。",
]
COMMENTS = [
    "已电话联系客户，了解详细情况。",
    "已转相关部门处理，等待反馈。",
    "客户再次来电催促处理进度。",
    "已预约明天上午上门检查。",
    "客户补充说明：问题仍未解决。",
]
PRIORITIES = [1] * 5 + [2] * 15 + [3] * 60 + [4] * 15 + [5] * 5
TZ = dt.timezone(dt.timedelta(hours=8))
N = "\\N"


def esc(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ts(t):
    return t.isoformat()


def load_texts():
    out = []
    with CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            review = row["review"].lstrip("\ufeff").strip()
            if not review:
                continue
            first = review.replace("\n", " ")
            for sep in "，。！？!?,；;":
                first = first.split(sep)[0]
            out.append((f"{ITEM.get(row['cat'], row['cat'])}：{first[:40]}", review))
    return out


class Command(BaseCommand):
    help = "Bulk-load N tickets with follow-ups (COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--years", type=float, default=2.0)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--end", default="", help="end of the period, China time (default: now)")
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument("--force", action="store_true", help="load even if tickets already exist")

    def handle(self, *args, count, years, seed, end, batch, force, **options):
        have = Ticket.objects.count()
        if have and not force:
            self.stdout.write(
                f"{have} tickets already there: nothing loaded (use setup.py --fresh to reload)"
            )
            return
        queue = Queue.objects.get(slug="complaints")
        User = get_user_model()
        bench = User.objects.get(username="bench").id
        agents = list(User.objects.filter(username__startswith="agent").values_list("id", flat=True)) + [
            bench
        ]
        texts = load_texts()
        if not texts:
            raise CommandError(f"no texts in {CSV}")
        rng = random.Random(seed)
        end_t = (
            dt.datetime.fromisoformat(end).replace(tzinfo=TZ)
            if end
            else dt.datetime.now(TZ).replace(second=0, microsecond=0)
        )
        span = years * 365 * 86400
        # created times in time order, so ids follow dates as in a live system
        offsets = sorted(rng.random() * span for _ in range(count))
        start_id = (Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        fu_id = (FollowUp.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        t_cols = (
            "id",
            "title",
            "created",
            "modified",
            "submitter_email",
            "status",
            "on_hold",
            "description",
            "resolution",
            "priority",
            "due_date",
            "assigned_to_id",
            "queue_id",
            "secret_key",
        )
        f_cols = ("id", "date", "title", "comment", "public", "new_status", "ticket_id", "user_id")
        started = time.perf_counter()
        n_fu = 0
        with connection.cursor() as cur:
            raw = cur.connection  # psycopg 3
            with raw.cursor() as c:
                c.execute("SET session_replication_role = replica")  # rows consistent by construction
                for lo in range(0, count, batch):
                    t_lines, f_lines = [], []
                    for k in range(lo, min(lo + batch, count)):
                        tid = start_id + k
                        created = end_t - dt.timedelta(seconds=span - offsets[k])
                        age_days = (end_t - created).total_seconds() / 86400
                        if rng.random() < 0.1:
                            title, desc = PROPERTY[rng.randrange(len(PROPERTY))]
                        else:
                            title, desc = texts[rng.randrange(len(texts))]
                        mobile = f"{MOBILE_PREFIXES[rng.randrange(len(MOBILE_PREFIXES))]}{rng.randrange(10**8):08d}"
                        email = (
                            f"{mobile}@139.com"
                            if rng.random() < 0.4
                            else f"{rng.randrange(10**5, 10**10)}@qq.com"
                        )
                        desc = f"{desc}\n\n联系电话：{mobile}"
                        r = rng.random()
                        if age_days < 30:
                            status = 1 if r < 0.55 else 2 if r < 0.60 else 3 if r < 0.85 else 4
                        else:
                            status = (
                                4 if r < 0.70 else 3 if r < 0.92 else 1 if r < 0.96 else 2 if r < 0.97 else 5
                            )
                        assigned = rng.choice(agents) if status != 1 or rng.random() < 0.5 else None
                        resolution = rng.choice(RESOLUTIONS) if status in (3, 4) else None
                        fus = [(created, "Ticket Opened", desc, True, None, None)]
                        t = created
                        if (
                            status in (1, 2)
                            and rng.random() < 0.5
                            or status in (3, 4, 5)
                            and rng.random() < 0.2
                        ):
                            t = t + dt.timedelta(hours=rng.uniform(0.5, 48))
                            fus.append((t, "Comment", rng.choice(COMMENTS), False, None, assigned or bench))
                        if status in (3, 4):
                            t = t + dt.timedelta(hours=rng.uniform(1, 120))
                            fus.append((t, "Resolved", resolution, True, 3, assigned or bench))
                        if status == 4 and rng.random() < 0.4 or status == 5:
                            t = t + dt.timedelta(hours=rng.uniform(1, 72))
                            fus.append(
                                (
                                    t,
                                    "Closed" if status == 4 else "Duplicate",
                                    "",
                                    True,
                                    status,
                                    assigned or bench,
                                )
                            )
                        due = ts(created + dt.timedelta(days=7)) if rng.random() < 0.3 else N
                        t_lines.append(
                            "\t".join(
                                (
                                    str(tid),
                                    esc(title[:200]),
                                    ts(created),
                                    ts(t),
                                    email,
                                    str(status),
                                    "f",
                                    esc(desc),
                                    esc(resolution) if resolution else N,
                                    str(rng.choice(PRIORITIES)),
                                    due,
                                    str(assigned) if assigned else N,
                                    str(queue.id),
                                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                )
                            )
                            + "\n"
                        )
                        for date, ftitle, comment, public, new_status, user in fus:
                            f_lines.append(
                                "\t".join(
                                    (
                                        str(fu_id),
                                        ts(date),
                                        ftitle,
                                        esc(comment),
                                        "t" if public else "f",
                                        str(new_status) if new_status else N,
                                        str(tid),
                                        str(user) if user else N,
                                    )
                                )
                                + "\n"
                            )
                            fu_id += 1
                            n_fu += 1
                    with c.copy(f"COPY helpdesk_ticket ({', '.join(t_cols)}) FROM STDIN") as cp:
                        cp.write("".join(t_lines))
                    with c.copy(f"COPY helpdesk_followup ({', '.join(f_cols)}) FROM STDIN") as cp:
                        cp.write("".join(f_lines))
                    self.stdout.write(f"  {min(lo + batch, count)}/{count} tickets", ending="\n")
                c.execute("SET session_replication_role = DEFAULT")
                for table in ("helpdesk_ticket", "helpdesk_followup"):
                    c.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
                    c.execute(f"ANALYZE {table}")
        # a phone and an e-mail that exist in the data, for the search benchmarks
        info_path = settings.VAR / "helpdesk.json"
        info = json.loads(info_path.read_text()) if info_path.exists() else {}
        sample = Ticket.objects.filter(submitter_email__endswith="@139.com").order_by("id").first()
        if sample:
            info["sample_phone"] = sample.submitter_email.split("@")[0]
            info["sample_email"] = sample.submitter_email
            info_path.write_text(json.dumps(info, indent=2) + "\n")
        self.stdout.write(
            f"loaded {count} tickets, {n_fu} follow-ups in {time.perf_counter() - started:.1f} s"
        )
