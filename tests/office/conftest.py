"""The finance fixtures (approved claims, the treasurer) serve the office tests too."""

from tests.finance.conftest import approve  # noqa: F401
