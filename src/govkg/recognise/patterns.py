"""Line shapes every reader recognises: attachment markers, table titles, task numbers, page numbers."""

from __future__ import annotations

import re

from ..textutil import no_space

MARKER = re.compile(r"^附\s*件\s*([0-9０-９一二三四五六七八九十]*)\s*$")
TASK_NUMBER = re.compile(r"^\s*[（(]\s*(\d{1,4})\s*[）)]\s*")
GROUP_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
ITEM_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)\s*")
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)\s*$")
_TITLE_WORDS = ("分解表", "责任表", "任务表", "分工表", "分解方案", "责任清单", "任务清单")
_SENTENCE_MARKS = ("，", "。", "；", "！", "？")
_TITLE_MAX = 80


#: A line that opens an attachment: "附件2", "附件2：2023年民生实事项目", "附：2022年区民生实事项目".
ATTACHMENT = re.compile(r"^\s*附\s*(?:件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?|[:：])")
_ATTACHMENT_MAX = 60


def is_marker(text: str) -> bool:
    """True for an attachment marker line such as "附件1" or "附件"."""
    return bool(MARKER.match(text))


def opens_attachment(text: str) -> bool:
    """True for a line that starts an attachment, alone or with its title ("附：2022年区民生实事项目")."""
    return bool(ATTACHMENT.match(text)) and len(no_space(text)) <= _ATTACHMENT_MAX


def is_title(text: str) -> bool:
    """True for a table title such as "2022年《政府工作报告》主要目标任务责任分解表"."""
    compact = no_space(text)
    if not compact or len(compact) > _TITLE_MAX or compact.startswith(("附件:", "附件：")):
        return False
    if any(mark in compact for mark in _SENTENCE_MARKS):
        return False  # "现将责任分解表印发，请…。" is a sentence about the table, not its title
    if TASK_NUMBER.match(text) or ITEM_NUMBER.match(text):
        return False
    return any(word in compact for word in _TITLE_WORDS)


def is_page_number(text: str) -> bool:
    """True for a page-number line ("— 3 —", "第 3 页")."""
    return bool(PAGE_NUMBER.match(text))
