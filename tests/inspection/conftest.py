import pytest

from tests.exports.helpers import sync_queue


@pytest.fixture(autouse=True)
def exports_storage(settings, tmp_path):
    settings.EXPORTS_STORAGE_ROOT = str(tmp_path / "private" / "exports")
    return tmp_path / "private" / "exports"


@pytest.fixture
def queue(settings):
    with sync_queue(settings):
        yield
