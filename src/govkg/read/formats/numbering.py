"""Word list numbering: the label ("1.", "（三）", "①") Word prints before a numbered paragraph.

The label is not in the paragraph's text; it comes from numbering.xml (abstract numbering levels: start value,
number format, level text such as "（%1）") and from the paragraph's own or its style's `w:numPr`. Counters run per
list; a level restarts when a higher level advances.
"""

from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_MAX_LEVELS = 9


def chinese_number(value: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """A number in Chinese counting (1 → 一, 11 → 十一, 25 → 二十五, 101 → 一百零一); up to 9999."""
    if value <= 0 or value >= 10_000:
        return str(value)
    units = ((1000, "千"), (100, "百"), (10, ten))
    out, zero = "", False
    for size, word in units:
        digit, value = divmod(value, size)
        if digit:
            if zero:
                out += digits[0]
            out += ("" if (size == 10 and digit == 1 and not out) else digits[digit]) + word
            zero = False
        elif out:
            zero = True
    if value:
        if zero:
            out += digits[0]
        out += digits[value]
    return out


def _roman(value: int) -> str:
    out = ""
    for size, symbol in _ROMAN:
        count, value = divmod(value, size)
        out += symbol * count
    return out


def _letters(value: int) -> str:
    letter = chr(ord("A") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    """A counter value in a Word number format (decimal, chineseCounting, ideographTraditional …)."""
    simple = {
        "decimal": str(value),
        "decimalZero": f"{value:02d}",
        "decimalFullWidth": str(value).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}),
        "upperRoman": _roman(value),
        "lowerRoman": _roman(value).lower(),
        "upperLetter": _letters(value),
        "lowerLetter": _letters(value).lower(),
    }
    if fmt in simple:
        return simple[fmt]
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_number(value)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese_number(value, _LEGAL, "拾")
    if fmt == "ideographTraditional":
        return _STEMS[(value - 1) % len(_STEMS)]
    if fmt == "ideographZodiac":
        return _BRANCHES[(value - 1) % len(_BRANCHES)]
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "decimalEnclosedFullstop":
        return f"{value}."
    return str(value)


def _val(element: etree._Element | None, child: str) -> str | None:
    if element is None:
        return None
    found = element.find(W + child)
    return None if found is None else found.get(W + "val")


class Numbering:
    """Labels of numbered paragraphs, in document order (call :meth:`label` once per paragraph, in order)."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        if numbering is not None:
            for abstract in numbering.findall(W + "abstractNum"):
                self._abstract[abstract.get(W + "abstractNumId", "")] = abstract
            for num in numbering.findall(W + "num"):
                overrides = {}
                for override in num.findall(W + "lvlOverride"):
                    start = _val(override, "startOverride")
                    if start is not None and start.lstrip("-").isdigit():
                        overrides[int(override.get(W + "ilvl", "0"))] = int(start)
                self._nums[num.get(W + "numId", "")] = (_val(num, "abstractNumId") or "", overrides)
        self._style_num: dict[str, tuple[str | None, str | None]] = {}
        self._style_base: dict[str, str] = {}
        if styles is not None:
            for style in styles.findall(W + "style"):
                style_id = style.get(W + "styleId", "")
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    self._style_num[style_id] = (_val(num_pr, "numId"), _val(num_pr, "ilvl"))
                base = _val(style, "basedOn")
                if base:
                    self._style_base[style_id] = base
        self._counters: dict[str, list[int | None]] = {}

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._style_num:
                return self._style_num[style_id]
            style_id = self._style_base.get(style_id)
        return None, None

    def label(self, paragraph: etree._Element) -> tuple[str, str] | None:
        """The label Word prints before the paragraph and what follows it (tab, space, nothing), or None."""
        p_pr = paragraph.find(W + "pPr")
        num_pr = p_pr.find(W + "numPr") if p_pr is not None else None
        num_id, level = (_val(num_pr, "numId"), _val(num_pr, "ilvl")) if num_pr is not None else (None, None)
        if num_id is None:
            style_num, style_level = self._style_numbering(_val(p_pr, "pStyle"))
            num_id, level = style_num, level or style_level
        if not num_id or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, overrides = self._nums[num_id]
        abstract = self._abstract.get(abstract_id)
        ilvl = int(level) if level and level.isdigit() else 0
        if abstract is None or ilvl >= _MAX_LEVELS:
            return None
        levels = {int(lvl.get(W + "ilvl", "0")): lvl for lvl in abstract.findall(W + "lvl")}
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(num_id, [None] * _MAX_LEVELS)
        counters[ilvl] = self._start(levels, overrides, ilvl) if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None
        lvl = levels[ilvl]
        fmt = _val(lvl, "numFmt") or "decimal"
        if fmt in ("bullet", "none"):
            return None
        text = _val(lvl, "lvlText") or ""
        for index in range(_MAX_LEVELS):
            placeholder = f"%{index + 1}"
            if placeholder in text:
                value = counters[index] if counters[index] is not None else self._start(levels, overrides, index)
                level_fmt = _val(levels.get(index), "numFmt") or "decimal"
                text = text.replace(placeholder, format_number(value, level_fmt if index != ilvl else fmt))
        suffix = {"nothing": "", "space": " "}.get(_val(lvl, "suff") or "tab", "\t")
        return text, suffix

    @staticmethod
    def _start(levels: dict[int, etree._Element], overrides: dict[int, int], ilvl: int) -> int:
        if ilvl in overrides:
            return overrides[ilvl]
        start = _val(levels.get(ilvl), "start")
        return int(start) if start and start.lstrip("-").isdigit() else 1
