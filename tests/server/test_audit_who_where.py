"""The audit trail records who (principal), with which access key, and from where (source IP)
for every call through the server, allowed or refused."""

from __future__ import annotations

import httpx
import pytest

from core.errors import AccessDeniedException


async def test_every_remote_call_is_audited_with_key_and_source_ip(served):
    ann, rita = served.remote("ann"), served.remote("rita")
    try:
        plan = await served.core.client().call("CreateResponsePlan", {
            "name": "p", "incidentTemplate": {"title": "t", "impact": 3}})
        await ann.call("StartIncident", {"responsePlanArn": plan["arn"]})
        with pytest.raises(AccessDeniedException):
            await rita.call("StartIncident", {"responsePlanArn": plan["arn"]})
    finally:
        await ann.aclose()
        await rita.aclose()
    async with httpx.AsyncClient() as http:  # an unsigned Twilio callback, refused
        assert (await http.post(f"{served.url}/callbacks/twilio/sms", data={"Body": "hi"})).status_code == 403

    events = (await served.core.client().call("LookupAuditEvents", {"operation": "StartIncident"}))["events"]
    seen = sorted((e["principal"].rsplit("/", 1)[-1], e["result"], e["accessKeyId"], e["sourceIp"], e["origin"])
                  for e in events)
    assert seen == [
        ("ann", "OK", served.keys["ann"][0], "127.0.0.1", "native"),
        ("rita", "AccessDeniedException", served.keys["rita"][0], "127.0.0.1", "native"),
    ]
    local = (await served.core.client().call("LookupAuditEvents", {"operation": "CreateResponsePlan"}))["events"]
    assert [(e["accessKeyId"], e["sourceIp"], e["origin"]) for e in local] == [(None, None, "local")]
    [twilio] = (await served.core.client().call("LookupAuditEvents", {"operation": "TwilioSms"}))["events"]
    assert (twilio["sourceIp"], twilio["result"]) == ("127.0.0.1", "AccessDeniedException")  # no Twilio configured


async def test_wrong_accept_codes_count_per_source_address_not_per_binding(served):
    ann = served.remote("ann")
    try:
        with pytest.raises(Exception) as err:
            await ann.call("AcceptPageByCode", {"acceptCode": "123456"})
        assert err.value.code == "ResourceNotFoundException"
    finally:
        await ann.aclose()
    async with served.core.db.transaction() as tx:
        origins = [r["origin"] for r in await tx.fetchall("SELECT origin FROM accept_code_failures")]
    assert origins == ["native 127.0.0.1"]  # one address's lockout, not every native caller's
