"""回单 check (SPEC §3, seed 000 §四 投诉回单规范).

A handling-result slip must tell the service desk what was checked, the cause, what was done, and
when and how the customer was contacted and how they responded. A slip that is only “已处理” /
“已解决，请回访”, lacks one of those elements, or contains a forbidden phrase is rejected with every
reason listed, so the handler can fix it in one go.

Elements are recognised from wording (经核查…, 原因是…, 已为客户更换…, 3月5日10:00电话联系…,
客户表示满意…), on folded text so Traditional and full-width input count the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .checker import PhraseChecker, Violation
from .normalize import MARK, fold

__all__ = ["ELEMENTS", "ReceiptElement", "ReceiptReport", "receipt_problems", "review_receipt"]

_CN_NUM = "[0-9一二三四五六七八九十两〇零]"


@dataclass(frozen=True)
class ReceiptElement:
    code: str
    label: str
    problem: str
    pattern: re.Pattern[str]


ELEMENTS: tuple[ReceiptElement, ...] = (
    ReceiptElement(
        "checked",
        "核查情况",
        "未写明核查情况（查了什么、如何核实的）。",
        re.compile(
            r"经(过)?(核查|核实|查|检查|调查|排查|检测|测试|现场|调取|查看|了解|询问|勘查|查勘|走访|复核|确认)"
            r"|(现场|上门)(查看|检查|勘查|核实|了解|检测)|核查|核实|查明|检测|排查|调取(录音|监控|记录|通话)"
            r"|查询(系统|记录|订单|物流|账单)|复核|勘查|(检查|查看)(了|发现)"
        ),
    ),
    ReceiptElement(
        "cause",
        "原因",
        "未写明问题原因。",
        re.compile(
            r"原因|由于|因为|系因|系由|是因|导致|造成|所致|引起|问题出在|属于.{0,8}(问题|责任|故障)|故障点"
        ),
    ),
    ReceiptElement(
        "action",
        "处理措施",
        "未写明采取了哪些处理措施。",
        re.compile(
            r"更换|换(了|新)|维修|修复|修好|退款|退还|退费|补发|重发|赔偿|补偿|调整|恢复|疏通|清理|整改|处罚"
            r"|批评教育|培训|减免|返还|派(单|人|员|师傅)|上门(维修|处理)|道歉|致歉|更正|取消|撤销|开通|加固"
            r"|重新(安装|发|办理|配送)|办理了|安排.{0,6}(处理|维修|上门|更换|配送)|解释"
        ),
    ),
    ReceiptElement(
        "contact_time",
        "联系时间",
        "未写明联系客户的时间。",
        re.compile(
            rf"{_CN_NUM}{{1,4}}(年|月|日|号)|{_CN_NUM}{{1,2}}(:|点|时)|(今|昨|前|当|次|同)(天|日)"
            r"|(上|下|中)午|晚上|早上|傍晚|周[一二三四五六日天]|星期[一二三四五六日天]|当即|随即|\d{4}-\d{1,2}-\d{1,2}"
        ),
    ),
    ReceiptElement(
        "contact_method",
        "联系方式",
        "未写明联系客户的方式（电话、短信、上门、当面等）。",
        re.compile(
            r"电话|致电|来电|去电|回电|通话|短信|微信|上门|当面|面谈|邮件|信函|视频|对讲|qq|在线|留言|见面|到访|拜访"
        ),
    ),
    ReceiptElement(
        "response",
        "客户意见",
        "未写明客户的反馈意见（是否满意、是否接受处理结果）。",
        re.compile(
            r"(客户|用户|业主|顾客|住户|消费者|对方|其|他|她|本人)(表示|称|同意|认可|接受|满意|不满意|理解|无异议|确认|认为"
            r"|要求|拒绝|没有异议|答应|感谢|谅解|坚持|仍|不接受|未接|无人接听|关机|拒接|对.{0,10}(满意|认可))"
            r"|无人接听|未接听|(表示|感到)(满意|认可|接受|理解|不满)"
        ),
    ),
)

# Slips made of nothing but these clauses say nothing (seed 000: "已处理" alone is not a 回单).
_VAGUE_CLAUSES = re.compile(
    r"(该|此)?(问题|投诉|工单)?(已|已经)?(经)?(处理|解决|回复|完成|办结|跟进|反馈|安排|联系客户|告知客户|答复|核实|处理完毕|处理完成"
    r"|解决完毕|处理好|搞定|落实)?(了|完毕|完成|好了)?|(请|需|需要)?(回访|跟进|核实|关注)(一下)?|ok|好的?|已阅|收到|同上|无"
)
_MIN_CONTENT = 15


@dataclass(frozen=True)
class ReceiptReport:
    present: tuple[str, ...]
    missing: tuple[ReceiptElement, ...]
    vague: bool
    violations: tuple[Violation, ...]

    @property
    def acceptable(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        reasons = []
        if self.vague:
            reasons.append(
                "回单内容过于笼统（只有“已处理”“已解决”之类的字样），请写明核查情况、原因、处理措施，"
                "以及联系客户的时间、方式和客户意见。"
            )
        reasons.extend(element.problem for element in self.missing)
        for v in self.violations:
            reasons.append(f"含禁忌用语“{v.phrase}”：{v.reason}建议改为：“{v.suggestion}”")
        return reasons


def review_receipt(text: str, checker: PhraseChecker | None) -> ReceiptReport:
    folded = fold(text)
    clauses = [c for c in folded.split(MARK) if c]
    vague = len(folded.replace(MARK, "")) < _MIN_CONTENT or all(_VAGUE_CLAUSES.fullmatch(c) for c in clauses)
    present = tuple(e.code for e in ELEMENTS if e.pattern.search(folded))
    missing = tuple(e for e in ELEMENTS if e.code not in present)
    violations = tuple(checker.check(text)) if checker is not None else ()
    return ReceiptReport(present=present, missing=missing, vague=vague, violations=violations)


def receipt_problems(text: str, checker: PhraseChecker | None = None) -> list[str]:
    """Reasons (Simplified Chinese) the slip is rejected; empty means acceptable."""
    return review_receipt(text, checker).problems()
