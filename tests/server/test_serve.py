"""`cockpit serve` as a subprocess: pages go out with no cockpit open, SIGTERM stops it
cleanly, a stage that fell due while it was down fires when it is back; one core per data
directory; loopback by default, TLS or an explicit --insecure-http elsewhere."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import signal
import socket
import ssl
import subprocess
import sys
import time

import boto3
import httpx
import pytest
import yaml
from botocore.config import Config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cockpit.factory import embedded_client
from core import open_core
from core.errors import StoreError
from tests.support.mail import MailSink
from tests.support.serve import ROOT, ServeProcess, create_keys_async, free_port, serve_command

FIRST, SECOND = "first@example.com", "second@example.com"


async def _activate(client, sink: MailSink, contact: str, name: str, address: str) -> str:
    channel = (await client.call("CreateContactChannel", {
        "ContactId": contact, "Name": name, "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": address}}))["ContactChannelArn"]
    async with asyncio.timeout(30):
        mail = await sink.wait_for(lambda m: address in m.rcpt_tos and m["X-Cockpit-Kind"] == "activation")
    await client.call("ActivateContactChannel", {"ContactChannelId": channel, "ActivationCode": mail.code("Activation code")})
    return channel


async def _prepare(data_dir, sink: MailSink) -> str:
    """The first admin's key, a replication set and a response plan that engages a contact:
    stage 1 emails FIRST, one minute later stage 2 emails SECOND. Returns the plan's ARN."""
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {"us-east-1": {}}})
        contact = (await client.call("CreateContact", {"Alias": "erin", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
        first = await _activate(client, sink, contact, "first", FIRST)
        second = await _activate(client, sink, contact, "second", SECOND)
        await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": [
            {"DurationInMinutes": 1, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": first}}]},
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": second}}]},
        ]}})
        plan = await client.call("CreateResponsePlan", {
            "name": "disk", "engagements": [contact], "incidentTemplate": {"title": "Disk full", "impact": 2}})
    return plan["arn"]


def _page_to(address: str):
    return lambda m: address in m.rcpt_tos and m["X-Cockpit-Kind"] == "page"


@pytest.mark.slow
async def test_pages_without_a_cockpit_then_sigterm_and_a_stage_due_while_down_fires_on_restart(tmp_path):
    data_dir = tmp_path / "ws"
    async with MailSink() as sink:
        data_dir.mkdir()
        (data_dir / "config.yaml").write_text(yaml.safe_dump({"paging": sink.paging_config()}))
        keys = await create_keys_async(data_dir, roles=("admin",))
        plan = await _prepare(data_dir, sink)
        async with ServeProcess(data_dir, keys["admin"]).running() as server:
            incidents = boto3.client("ssm-incidents", endpoint_url=server.url, region_name="us-east-1",
                                     aws_access_key_id=keys["admin"].access_key_id,
                                     aws_secret_access_key=keys["admin"].secret, config=Config(retries={"max_attempts": 1}))
            started = await asyncio.to_thread(incidents.start_incident, responsePlanArn=plan)
            async with asyncio.timeout(30):
                page = await sink.wait_for(_page_to(FIRST))
            assert page["X-Cockpit-Incident"] == started["incidentRecordArn"]
        assert any(r.get("message") == "the core stopped cleanly" for r in server.logs)
        # no core runs: stage 2 falls due a minute after stage 1 and nothing sends it meanwhile
        # (this bounded await on the SMTP server is also the wait for it to fall due)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(max(0.0, page.at + 62 - time.perf_counter())):
                await sink.wait_for(_page_to(SECOND))
        async with ServeProcess(data_dir, keys["admin"]).running():
            async with asyncio.timeout(30):
                second = await sink.wait_for(_page_to(SECOND))
            assert second["X-Cockpit-Incident"] == started["incidentRecordArn"]
        assert len([m for m in sink.messages if m["X-Cockpit-Kind"] == "page"]) == 2  # nothing sent twice


async def test_a_second_core_on_a_served_directory_is_refused_with_a_pointer_to_attach(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("readonly",))
    async with ServeProcess(data_dir, keys["readonly"]).running() as server:
        for argv in (serve_command(data_dir, "--listen", f"127.0.0.1:{free_port()}"),
                     [sys.executable, "-m", "cockpit.cli", "--data-dir", str(data_dir), "call", "ListReplicationSets"]):
            second = await asyncio.to_thread(subprocess.run, argv, cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert second.returncode == 1, second.stderr
            assert "in use by another core process" in second.stderr and "cockpit attach" in second.stderr
            assert "Traceback" not in second.stderr
        with pytest.raises(StoreError, match="cockpit attach"):  # the TUI's way in
            async with embedded_client(data_dir):
                pass
        assert server.wait_healthy()["status"] == "ok"  # the running one is unharmed


def _run_serve(data_dir, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(serve_command(data_dir, *args), cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_listen_rules_are_checked_before_anything_opens(tmp_path):
    port = free_port()
    plain = _run_serve(tmp_path / "ws", "--listen", f"0.0.0.0:{port}")
    assert plain.returncode == 1 and "--insecure-http" in plain.stderr and "--tls-cert" in plain.stderr
    half = _run_serve(tmp_path / "ws", "--tls-cert", str(tmp_path / "c.pem"))
    assert half.returncode == 1 and "go together" in half.stderr
    bad = _run_serve(tmp_path / "ws", "--listen", "nowhere")
    assert bad.returncode == 1 and "HOST:PORT" in bad.stderr
    assert not (tmp_path / "ws" / "cockpit.db").exists()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = _run_serve(tmp_path / "ws", "--listen", f"127.0.0.1:{taken.getsockname()[1]}")
    assert busy.returncode == 1 and "cannot listen on 127.0.0.1:" in busy.stderr and "Traceback" not in busy.stderr


async def test_insecure_http_on_a_non_loopback_address_warns(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("readonly",))
    server = ServeProcess(data_dir, keys["readonly"])
    server.args = ("--listen", f"0.0.0.0:{server.port}", "--insecure-http")  # the later --listen wins
    async with server.running():
        warning = server.wait_for_log(lambda r: r["level"] == "warning")
        assert "plain HTTP" in warning["message"] and "unencrypted" in warning["message"]


def _self_signed(tmp_path) -> tuple:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


async def test_tls_serves_https(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("readonly",))
    cert, key = _self_signed(tmp_path)
    server = ServeProcess(data_dir, keys["readonly"], args=("--tls-cert", str(cert), "--tls-key", str(key)))
    trust = ssl.create_default_context(cafile=str(cert))
    server.url, server.verify = f"https://127.0.0.1:{server.port}", trust
    async with server.running():
        async with httpx.AsyncClient(verify=trust) as https:
            health = await https.get(f"{server.url}/healthz", headers=keys["readonly"].bearer)
        assert health.status_code == 200 and health.json()["database"] == "ok"
        with pytest.raises(httpx.TransportError):
            async with httpx.AsyncClient() as plain:
                await plain.get(f"http://127.0.0.1:{server.port}/healthz", headers=keys["readonly"].bearer)


async def test_sigterm_ends_attached_event_streams_and_exits_promptly(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("readonly",))
    async with ServeProcess(data_dir, keys["readonly"]).running() as server:
        async with httpx.AsyncClient(timeout=30) as http, http.stream(
                "GET", f"{server.url}/v1/events", headers=keys["readonly"].bearer) as stream:
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith("retry:")
            server.proc.send_signal(signal.SIGTERM)
            async with asyncio.timeout(10):  # well inside the 30 s drain: the stream was ended
                async for _ in lines:
                    pass


async def test_sigterm_lets_an_in_flight_request_finish(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("admin",))
    async with ServeProcess(data_dir, keys["admin"]).running() as server:
        body = b'{"regions": {"us-east-1": {}}}'
        head = (f"POST /v1/CreateReplicationSet HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Authorization: Bearer {keys['admin'].access_key_id}:{keys['admin'].secret}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(head + body[:10])  # the request has begun: headers and part of its body
        await writer.drain()
        await asyncio.to_thread(server.wait_healthy)  # a later request answered: the first one is in the server
        server.proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(server.wait_for_log, lambda r: r["message"].startswith("Waiting for connections"))  # draining
        writer.write(body[10:])
        await writer.drain()
        async with asyncio.timeout(30):
            response = await reader.read()
        writer.close()
        status_line, _, rest = response.partition(b"\r\n")
        assert status_line == b"HTTP/1.1 200 OK", response[:200]
        assert b'"arn": "arn:aws:ssm-incidents::' in rest
    async with open_core(data_dir) as core:  # and it was committed
        assert len((await core.client().call("ListReplicationSets", {}))["replicationSetArns"]) == 1
