"""The one app mounts every channel and the admin UI."""
from starlette.testclient import TestClient

from indexing.settings import Settings
from channels.app import create_app


def test_admin_is_mounted_and_protected(data_dir):
    app = create_app(Settings(data_dir=data_dir, admin_session_secret="x" * 32))
    with TestClient(app) as client:
        response = client.get("/admin/entries", follow_redirects=False)
        assert response.status_code in (302, 303) and "/admin/login" in response.headers["location"]
        assert client.get("/admin/login").status_code == 200
        assert client.get("/healthz").json()["ok"] is True
        assert client.get("/").status_code == 200
