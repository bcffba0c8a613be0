import pytest


@pytest.fixture
def rules():
    from evaluations.scoring import Rules

    return Rules()
