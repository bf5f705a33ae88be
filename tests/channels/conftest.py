"""Fake LINE and Slack APIs for the channel tests that run on both storage backends."""
import pytest
from fakes.line_api import FakeLineApi
from fakes.slack_api import FakeSlackApi
from fakes.webhooks import LINE_TOKEN, SLACK_APP_TOKEN, SLACK_BOT_TOKEN


@pytest.fixture(scope="module")
def line_api(module_backend_data_dir):
    # Depends on the backend so that each backend's run starts with a fake that has seen nothing.
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def slack_api(module_backend_data_dir):
    # Depends on the backend so that each backend's run starts with a fake that has seen nothing.
    with FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as fake:
        yield fake
