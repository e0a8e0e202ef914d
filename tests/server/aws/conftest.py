"""One real `cockpit serve` subprocess per test module, with a user per role, paging email to a
real SMTP server, and boto3 clients for both AWS services pointed at it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.config import Config

from tests.support.mail import MailSink, Received
from tests.support.serve import Key, ServeProcess, create_keys

REGION = "us-east-1"


class ThreadedMail:
    """tests.support.mail.MailSink on an event loop of its own thread, so synchronous boto3
    tests can wait for a message (on the sink's condition, bounded by a timeout)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.sink = MailSink()

    def __enter__(self) -> ThreadedMail:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.sink.__aenter__(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.sink.__aexit__(None, None, None), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def wait_for(self, predicate: Callable[[Received], bool], timeout: float = 30.0) -> Received:
        async def waited() -> Received:
            async with asyncio.timeout(timeout):
                return await self.sink.wait_for(predicate)

        return asyncio.run_coroutine_threadsafe(waited(), self.loop).result(timeout + 5)


class Site:
    def __init__(self, server: ServeProcess, keys: dict[str, Key], mail: ThreadedMail, data_dir: Path) -> None:
        self.server = server
        self.keys = keys
        self.mail = mail
        self.data_dir = data_dir
        self.url = server.url

    def client(self, service: str, role: str = "admin", region: str = REGION, **kwargs):
        key = self.keys[role]
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=key.access_key_id,
            aws_secret_access_key=key.secret,
            config=Config(retries={"max_attempts": 1}),
            **kwargs,
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("served")
    with ThreadedMail() as mail:
        config = {"paging": mail.sink.paging_config(), "replicas": {"us-west-2": str(data_dir.parent / "replica")}}
        (data_dir / "config.yaml").write_text(yaml.safe_dump(config))
        keys = create_keys(data_dir)
        with ServeProcess(data_dir, keys["readonly"]) as server:
            yield Site(server, keys, mail, data_dir)


@pytest.fixture(scope="module")
def incidents(site):
    return site.client("ssm-incidents")


@pytest.fixture(scope="module")
def contacts(site):
    return site.client("ssm-contacts")


@pytest.fixture(scope="module")
def replication_set(incidents) -> str:
    """Set up as a script written for AWS would: the region it names becomes the site's."""
    arn = incidents.create_replication_set(regions={REGION: {}})["arn"]
    incidents.get_waiter("wait_for_replication_set_active").wait(arn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    return arn
