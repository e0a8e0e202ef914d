"""One core per data directory: a second open is refused while the first runs, then allowed."""

from __future__ import annotations

import pytest

from core import open_core
from core.errors import StoreError


async def test_a_second_core_on_the_same_directory_is_refused_until_the_first_closes(data_dir, clock):
    async with open_core(data_dir, clock=clock):
        with pytest.raises(StoreError) as refused:
            async with open_core(data_dir, clock=clock):
                pass
        message = str(refused.value)
        assert str(data_dir) in message and "in use by another core process" in message
        assert "cockpit attach" in message and "--endpoint" in message
    async with open_core(data_dir, clock=clock) as again:  # released on close
        assert again.db is not None


async def test_another_directory_is_not_affected(tmp_path, clock):
    async with open_core(tmp_path / "a", clock=clock), open_core(tmp_path / "b", clock=clock):
        pass
