"""knowledge/interests.toml: parsed, validated with line numbers, stored by the importer."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexing.importer import import_paths
from indexing.interests import parse_interests, stored_interests
from indexing.loaders import KnowledgeFileError
from indexing.storage.knowledge import KnowledgeStore

REPO_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def test_the_sample_file_parses():
    interests = parse_interests(REPO_KNOWLEDGE / "interests.toml")
    assert interests.keys() == ["kosodate", "gomi", "bousai", "zei", "kenko", "event"]
    assert interests.topic("bousai").label == "防災" and interests.topic("bousai").confirm_twice
    assert not interests.topic("gomi").confirm_twice
    assert "北地区" in interests.areas


def write(tmp_path, text) -> Path:
    path = tmp_path / "interests.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_topic_names_its_line(tmp_path):
    path = write(tmp_path, '# topics\n\n[[topic]]\nkey = "a"\nlabel = "A"\n\n[[topic]]\nkey = "Bad Key"\nlabel = "B"\n')
    with pytest.raises(KnowledgeFileError) as caught:
        parse_interests(path)
    assert caught.value.line == 7 and "key" in caught.value.message


def test_duplicate_keys_long_labels_and_bad_areas_are_all_reported(tmp_path):
    path = write(tmp_path, 'areas = ["北", "北"]\n[[topic]]\nkey = "a"\nlabel = "A"\n[[topic]]\nkey = "a"\n'
                           'label = "' + "長" * 21 + '"\n')
    with pytest.raises(KnowledgeFileError) as caught:
        parse_interests(path)
    messages = [m for _, m in caught.value.all_problems()]
    assert any("used twice" in m for m in messages)
    assert any("longer than 20" in m for m in messages)
    assert (1, "an area is listed twice") in caught.value.all_problems()


def test_invalid_toml_gives_the_line(tmp_path):
    with pytest.raises(KnowledgeFileError) as caught:
        parse_interests(write(tmp_path, '[[topic]]\nkey = "a"\nlabel = \n'))
    assert caught.value.line == 3


def test_the_importer_stores_interests(data_dir):
    assert stored_interests(KnowledgeStore(data_dir)).topic("kosodate").label == "子育て"


def test_a_bad_interests_file_imports_nothing(tmp_path, fresh_data_dir, knowledge_dir):
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir / "faq", folder / "faq")
    (folder / "interests.toml").write_text('[[topic]]\nkey = "x"\n', encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        import_paths([folder], fresh_data_dir)
    assert caught.value.line == 1 and "no label" in caught.value.message
    assert stored_interests(KnowledgeStore(fresh_data_dir)).keys()[0] == "kosodate"
