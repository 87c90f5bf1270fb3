"""gazetteer.collector: the collector paused for a block and left as found."""
import gc

import pytest

from gazetteer.collector import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_left_as_found(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError):
            with collector_paused():
                raise RuntimeError("a failing load")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
