"""Contact policies (PutContactPolicy): the supported IAM subset is checked on Put, and the
policy is enforced on every call that touches the contact, for every principal except the
local administrator."""

from __future__ import annotations

import json

import pytest

from core.errors import AccessDeniedException, ValidationException
from core.security.principals import Principal
from core.security.roles import principal_for_role
from tests.support.core_state import snapshot

ENGAGE = {"Sender": "ops", "Subject": "db down", "Content": "please look"}


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture
async def world(ready, core):
    admin, _plan = ready
    contacts = {}
    for alias in ("ana", "ben"):
        contacts[alias] = (await admin.call("CreateContact", {"Alias": alias, "Type": "PERSONAL",
                                                              "Plan": {"Stages": []}}))["ContactArn"]
    account = core.account_id

    def user(name: str, role: str):
        return core.client(principal_for_role(f"arn:aws:iam::{account}:user/{name}", name, role))

    return admin, contacts, user


async def test_a_deny_statement_binds_every_principal_but_the_local_administrator(world, core):
    admin, contacts, user = world
    bob = user("bob", "responder")
    boss = user("boss", "admin")  # an administrator's role, but a remote user: policies bind it
    await admin.call("PutContactPolicy", {"ContactArn": contacts["ana"], "Policy": policy(
        {"Sid": "NoPagingAna", "Effect": "Deny", "Principal": {"AWS": bob.principal.arn},
         "Action": "ssm-contacts:StartEngagement", "Resource": contacts["ana"]},
        {"Effect": "Deny", "Principal": "*", "Action": ["ssm-contacts:Delete*"]},
    )})
    with pytest.raises(AccessDeniedException, match="contact policy"):
        await bob.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})
    await bob.call("StartEngagement", {"ContactId": contacts["ben"], **ENGAGE})  # no policy on ben
    with pytest.raises(AccessDeniedException, match="contact policy"):
        await boss.call("DeleteContact", {"ContactId": contacts["ana"]})
    await boss.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})  # only bob is denied that
    # the local administrator is never locked out of a contact
    await admin.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})
    await admin.call("DeleteContact", {"ContactId": contacts["ana"]})
    trail = (await admin.call("LookupAuditEvents", {"result": "AccessDeniedException"}))["events"]
    assert {e["principal"] for e in trail} == {bob.principal.arn, boss.principal.arn}


async def test_resources_of_a_contact_are_covered_by_its_policy(world):
    admin, contacts, user = world
    carol = user("carol", "readonly")
    channel = (await admin.call("CreateContactChannel", {
        "ContactId": contacts["ana"], "Name": "mail", "Type": "EMAIL",
        "DeliveryAddress": {"SimpleAddress": "ana@example.com"}, "DeferActivation": True}))["ContactChannelArn"]
    engagement = (await admin.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE}))["EngagementArn"]
    await carol.call("DescribeEngagement", {"EngagementId": engagement})
    await carol.call("GetContactChannel", {"ContactChannelId": channel})
    await admin.call("PutContactPolicy", {"ContactArn": contacts["ana"], "Policy": policy(
        {"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": ["ssm-contacts:Describe*", "ssm-contacts:getcontactchannel"],
         "Resource": ["arn:aws:ssm-contacts:*:*:engagement/ana/*", "arn:aws:ssm-contacts:*:*:contact-channel/ana/*"]},
    )})
    with pytest.raises(AccessDeniedException):
        await carol.call("DescribeEngagement", {"EngagementId": engagement})
    with pytest.raises(AccessDeniedException):  # actions match without regard to case, as in IAM
        await carol.call("GetContactChannel", {"ContactChannelId": channel})
    await carol.call("GetContact", {"ContactId": contacts["ana"]})  # the contact itself: not denied


async def test_an_allow_statement_grants_what_the_role_does_not(world, core):
    admin, contacts, user = world
    carol = user("carol", "readonly")
    nobody = core.client(Principal(arn=f"arn:aws:iam::{core.account_id}:user/nobody", name="nobody"))
    with pytest.raises(AccessDeniedException):
        await carol.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})
    await admin.call("PutContactPolicy", {"ContactArn": contacts["ana"], "Policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{core.account_id}:root"},
         "Action": ["ssm-contacts:StartEngagement"], "Resource": contacts["ana"]},
    )})
    await carol.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})
    await nobody.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})  # the whole account
    with pytest.raises(AccessDeniedException):  # ben has no policy: the role decides
        await carol.call("StartEngagement", {"ContactId": contacts["ben"], **ENGAGE})
    with pytest.raises(AccessDeniedException):  # the grant is for StartEngagement only
        await nobody.call("GetContact", {"ContactId": contacts["ana"]})
    stranger = core.client(principal_for_role("arn:aws:iam::999988887777:user/x", "x", "readonly"))
    with pytest.raises(AccessDeniedException):  # another account's principal is not the account root's
        await stranger.call("StartEngagement", {"ContactId": contacts["ana"], **ENGAGE})


@pytest.mark.parametrize(("doc", "names"), [
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Condition": {}}]}, "Condition"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "ssm-contacts:Get*"}]}, "NotAction"),
    ({"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "Action": "*"}]}, "NotPrincipal"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "NotResource": "x"}]}, "NotResource"),
    ({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "*"}]}, "Principal"),
    ({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "bob"}, "Action": "*"}]}, "Principal.AWS"),
    ({"Statement": [{"Effect": "Maybe", "Principal": "*", "Action": "*"}]}, "Effect"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*"}]}, "Action is required"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "StartEngagement"}]}, "Action"),
    ({"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}]}, "Version"),
    ({"Statement": []}, "Statement"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}], "Extra": 1}, "Extra"),
])
async def test_unsupported_policies_are_refused_on_put(world, core, doc, names):
    admin, contacts, _user = world
    before = await snapshot(core)
    with pytest.raises(ValidationException) as info:
        await admin.call("PutContactPolicy", {"ContactArn": contacts["ana"], "Policy": json.dumps(doc)})
    assert names in info.value.message and info.value.fields[0]["name"] == "Policy"
    assert await snapshot(core) == before


async def test_put_and_get_round_trip(world):
    admin, contacts, _user = world
    text = policy({"Effect": "Allow", "Principal": "*", "Action": "ssm-contacts:Get*"})
    await admin.call("PutContactPolicy", {"ContactArn": contacts["ana"], "Policy": text})
    got = await admin.call("GetContactPolicy", {"ContactArn": contacts["ana"]})
    assert got == {"ContactArn": contacts["ana"], "Policy": text}
