"""Progress status as printed → normalised status (src/govkg/resolve/status.py, data/lexicon/status.toml)."""

from __future__ import annotations

import pytest

from govkg.resolve.status import STATUS_KEYS, load_status_words, read_status


@pytest.mark.parametrize(("printed", "status"), [
    ("正常推进", "on_schedule"), ("序时推进", "on_schedule"), ("正常推进。", "on_schedule"),
    (" 正常 推进 ", "on_schedule"),
    ("已完成", "done"), ("办结", "done"), ("已竣工", "done"), ("已建成", "done"), ("已投用", "done"),
    ("部分滞后", "behind"), ("滞后", "behind"), ("未完成", "behind"),
    ("未开工", "not_started"), ("尚未启动", "not_started"),
    ("是", "on_schedule"), ("否", "behind"),
    ("滞后（受汛期影响）", "behind"), ("正常推进，已完成80%", "on_schedule"),
    ("已完成设备招标采购", "unknown"), ("较好", "unknown"), ("", "unknown"),
])
def test_printed_status(printed, status):
    assert read_status(printed) == status


def test_a_progress_text_counts_only_when_it_is_a_status_word():
    assert read_status(None, "已完成") == "done"
    assert read_status(None, "6处安全通道已全部建成") == "unknown"
    assert read_status("部分滞后", "已完成") == "behind"  # the printed status decides
    assert read_status(None, None) == "unknown"


def test_the_lexicon_lists_each_word_once_with_a_known_status():
    words = load_status_words()
    assert {key for _, key in words.words} == set(STATUS_KEYS) - {"unknown"}
    assert len({word for word, _ in words.words}) == len(words.words)


def test_a_word_listed_twice_is_an_error(tmp_path):
    (tmp_path / "status.toml").write_text('[status]\ndone = ["完成"]\nbehind = ["完成"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        load_status_words(tmp_path)
    (tmp_path / "status.toml").write_text('[status]\nfinished = ["完成"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown status"):
        load_status_words(tmp_path)
