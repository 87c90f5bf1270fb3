import pytest

from gazetteer import Gazetteer


@pytest.fixture(scope="session")
def gazetteer():
    """The bundled gazetteer, loaded once for the whole test session."""
    return Gazetteer.load()
