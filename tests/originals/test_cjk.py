"""CJK radicals and compatibility ideographs read as the ideographs they stand for (govkg.read.cjk)."""

from __future__ import annotations

from govkg.read import read_bytes
from govkg.read.cjk import normalise_cjk


def test_radicals_that_are_characters_become_them_and_component_forms_stay():
    # Kangxi radicals by NFKC (⼈ ⽣ ⼯), supplement radicals by data/lexicon/radicals.toml (⺠ ⻓ ⻔), a
    # compatibility ideograph by NFKC (U+F9B4 → 零); the component forms ⺅ (person) and ⻌ (walk) are no characters
    assert normalise_cjk("⼈⺠政府⽣态环境局⻓江⻔户\uf9b2星⼯程") == "人民政府生态环境局长江门户零星工程"
    assert normalise_cjk("⺅⻌") == "⺅⻌"


def test_a_text_file_converted_from_pdf_reads_with_the_ideographs():
    source = read_bytes("序号\t⼯作任务\t牵头单位\n1\t建成⻓江⼤桥。\t区交通运输局、区⼈⺠政府办\n".encode(), "t.txt")
    assert [line.text for line in source.lines[:2]] == [
        "序号\t工作任务\t牵头单位", "1\t建成长江大桥。\t区交通运输局、区人民政府办"]
