"""Editing entries from the browser (without a browser): two editors on one entry, a form sent twice."""
from __future__ import annotations

import re

import pytest

from admin_support import add_users, logged_in_client, make_app, make_runtime
from indexing.curation import editing
from indexing.storage.knowledge import KnowledgeStore


@pytest.fixture
def client_and_store(backend_data_dir):
    add_users(backend_data_dir)
    client, token = logged_in_client(make_app(make_runtime(backend_data_dir, with_log=False)))
    return client, token, KnowledgeStore(backend_data_dir)


def _form_values(html: str) -> dict:
    """The form's inputs and textareas as the browser would send them."""
    values = dict(re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html))
    values.update(re.findall(r'<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)</textarea>', html, flags=re.S))
    values.update(re.findall(r'<select[^>]*?name="([^"]+)".*?<option value="([^"]*)" selected', html, flags=re.S))
    return values


def test_a_save_over_another_editors_newer_change_is_refused_once(client_and_store):
    client, token, store = client_and_store
    form = _form_values(client.get("/admin/entries/101/edit").text)
    assert form["version"]
    # Another editor saves a correction while this form is open.
    editing.update_entry(store, "101", {"body": "【訂正】粗大ごみは2週間前までに申し込んでください。"}, changed_by="tanaka")
    mine = {**form, "csrf_token": token, "department": "環境政策課"}
    refused = client.post("/admin/entries/101/edit", data=mine, follow_redirects=False)
    assert refused.status_code == 409 and "tanaka さんが変更しました" in refused.text
    assert "環境政策課" in refused.text  # what this editor typed is still in the form
    assert store.get("101").body.startswith("【訂正】") and store.get("101").department != "環境政策課"
    # Saving again from the returned form overwrites on purpose.
    again = {**_form_values(refused.text), "csrf_token": token}
    assert client.post("/admin/entries/101/edit", data=again, follow_redirects=False).status_code == 303
    assert store.get("101").department == "環境政策課"


def test_a_new_entry_form_sent_twice_creates_one_entry(client_and_store):
    client, token, store = client_and_store
    form = _form_values(client.get("/admin/entries/new").text)
    suggested = form["suggested_id"]
    assert suggested and store.get(suggested) is None
    form.update(csrf_token=token, title="図書館の休館日は？", body="毎週月曜日です。", department="中央図書館")
    first = client.post("/admin/entries/new", data=form, follow_redirects=False)
    second = client.post("/admin/entries/new", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    titles = [e.title for e in store.entries(status=None)]
    assert titles.count("図書館の休館日は？") == 1 and store.get(suggested).title == "図書館の休館日は？"
    # Another question sent from a form opened with the same suggested id gets the next free id.
    other = client.post("/admin/entries/new", data={**form, "title": "図書館の駐車場は？", "body": "20台あります。"},
                        follow_redirects=False)
    assert other.status_code == 303 and other.headers["location"] != first.headers["location"]
    # An id typed by hand that is already used is an error, even with the same question and answer.
    typed = client.post("/admin/entries/new", data={**form, "id": suggested}, follow_redirects=False)
    assert typed.status_code == 400 and f"ID {suggested} はすでに使われています" in typed.text
