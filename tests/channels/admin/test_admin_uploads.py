"""Uploads between preview and apply are in the database too: another host (another data dir on the
same PostgreSQL database, or this one after its uploads folder was lost) can apply them."""
from __future__ import annotations

import shutil

import pytest

from channels.admin.uploads import UploadStore
from indexing.storage import bind_database, storage_for

CSV = "ID,質問,回答\n900,テストの質問,テストの回答\n".encode("utf-8")


def test_an_upload_is_found_without_its_local_copy(backend_data_dir):
    store = UploadStore(backend_data_dir)
    saved = store.save("../../faq.csv", CSV, "sato", {"audience": "citizen"})
    shutil.rmtree(backend_data_dir / "uploads")
    found = UploadStore(backend_data_dir).get(saved.token)
    assert (found.name, found.uploaded_by, found.options) == ("faq.csv", "sato", {"audience": "citizen"})
    assert found.path.read_bytes() == CSV and found.path.is_relative_to(backend_data_dir / "uploads")
    store.remove(saved.token)
    shutil.rmtree(backend_data_dir / "uploads")
    assert store.get(saved.token) is None  # removed everywhere
    assert store.get("not-a-token") is None


def test_the_apply_may_reach_another_host(backend_data_dir, tmp_path, request):
    if "postgresql" not in request.node.callspec.id:
        pytest.skip("hosts share uploads only through PostgreSQL")
    saved = UploadStore(backend_data_dir).save("faq.csv", CSV, "sato", {})
    other_host = tmp_path / "host-b"
    bind_database(other_host, storage_for(backend_data_dir).url)
    try:
        found = UploadStore(other_host).get(saved.token)
        assert found is not None and found.path.read_bytes() == CSV
        assert found.path.is_relative_to(other_host)
    finally:
        bind_database(other_host, "")
