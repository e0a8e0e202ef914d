from __future__ import annotations

import pytest

from core.errors import ConflictException, ResourceNotFoundException, ValidationException


def names(exc) -> list[str]:
    return [f["name"] for f in exc.fields]


async def channel_row(core, arn):
    async with core.db.transaction() as tx:
        return dict(await tx.fetchone("SELECT * FROM contact_channels WHERE arn = ?", (arn,)))


async def status(c, arn) -> str:
    return (await c.call("GetContactChannel", {"ContactChannelId": arn}))["ActivationStatus"]


async def test_new_channel_gets_a_code_and_activates(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana, "phone", "SMS", "+14155550123")
    assert arn.startswith(f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact-channel/ana/")
    got = await c.call("GetContactChannel", {"ContactChannelId": arn})
    assert got == {"ContactArn": ana, "ContactChannelArn": arn, "Name": "phone", "Type": "SMS",
                   "DeliveryAddress": {"SimpleAddress": "+14155550123"}, "ActivationStatus": "NOT_ACTIVATED"}
    [message] = await contacts.messages(arn)
    assert message["channelType"] == "SMS" and message["contactArn"] == ana
    code = await contacts.code(arn)
    assert len(code) == 6

    row = await channel_row(core, arn)
    assert "+14155550123" not in row["address_enc"] and code not in str(row)

    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    assert await status(c, arn) == "ACTIVATED"
    listed = await c.call("ListContactChannels", {"ContactId": ana})
    assert [x["ActivationStatus"] for x in listed["ContactChannels"]] == ["ACTIVATED"]

    # neither the code nor the address reach the audit trail
    async with core.db.transaction() as tx:
        audit = " ".join(r["params"] for r in await tx.fetchall("SELECT params FROM audit"))
    assert code not in audit and "+14155550123" not in audit

    await c.call("DeactivateContactChannel", {"ContactChannelId": arn})
    assert await status(c, arn) == "NOT_ACTIVATED"


async def test_defer_activation_sends_nothing_until_asked(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana, defer=True)
    assert await contacts.messages(arn) == []
    with pytest.raises(ValidationException) as info:
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": "123456"})
    assert names(info.value) == ["ActivationCode"]
    await c.call("SendActivationCode", {"ContactChannelId": arn})
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": await contacts.code(arn)})
    assert await status(c, arn) == "ACTIVATED"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


async def test_wrong_code_is_rejected_and_nothing_activates(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana)
    code = await contacts.code(arn)
    with pytest.raises(ValidationException) as info:
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": wrong(code)})
    assert names(info.value) == ["ActivationCode"]
    assert "4 attempts left" in info.value.message
    assert wrong(code) not in info.value.message
    assert await status(c, arn) == "NOT_ACTIVATED"
    # malformed codes are the model's: 6-10 digits
    for bad in ("12345", "abcdef", "12345678901"):
        with pytest.raises(ValidationException) as info:
            await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": bad})
        assert names(info.value) == ["ActivationCode"]
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    assert await status(c, arn) == "ACTIVATED"


async def test_code_expires_after_15_minutes(contacts, clock):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana)
    code = await contacts.code(arn)
    await clock.advance(minutes=16)
    with pytest.raises(ValidationException) as info:
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    assert names(info.value) == ["ActivationCode"] and "expired" in info.value.message
    assert await status(c, arn) == "NOT_ACTIVATED"
    await c.call("SendActivationCode", {"ContactChannelId": arn})
    new = await contacts.code(arn)
    await clock.advance(minutes=14)
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": new})
    assert await status(c, arn) == "ACTIVATED"


async def test_locked_after_five_wrong_codes_until_a_new_code(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana)
    code = await contacts.code(arn)
    for attempt in range(5):
        with pytest.raises(ValidationException):
            await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": wrong(code)})
        assert (await channel_row(core, arn))["failed_attempts"] == attempt + 1
    assert (await channel_row(core, arn))["locked"] == 1
    # the right code no longer works either
    with pytest.raises(ValidationException) as info:
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    assert names(info.value) == ["ActivationCode"] and "locked" in info.value.message
    assert await status(c, arn) == "NOT_ACTIVATED"

    await c.call("SendActivationCode", {"ContactChannelId": arn})
    row = await channel_row(core, arn)
    assert (row["locked"], row["failed_attempts"]) == (0, 0)
    new = await contacts.code(arn)
    if new != code:  # the old code stops working when a new one is sent
        with pytest.raises(ValidationException):
            await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": new})
    assert await status(c, arn) == "ACTIVATED"


@pytest.mark.parametrize(
    ("type_", "address"),
    [("SMS", "4155550123"), ("SMS", "+04155550123"), ("VOICE", "+1 415 555 0123"),
     ("VOICE", "+1234567890123456"), ("EMAIL", "ana@"), ("EMAIL", "ana example.com"), ("EMAIL", "+14155550123")],
)
async def test_malformed_address_is_rejected(contacts, type_, address):
    c = contacts.c
    ana = await contacts.personal("ana")
    with pytest.raises(ValidationException) as info:
        await contacts.channel(ana, "x", type_, address)
    assert names(info.value) == ["DeliveryAddress.SimpleAddress"]
    assert (await c.call("ListContactChannels", {"ContactId": ana}))["ContactChannels"] == []
    assert (await c.call("ListOutboxMessages", {}))["messages"] == []


async def test_channels_belong_to_personal_contacts_only(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    esc = (await c.call("CreateContact", {"Alias": "esc", "Type": "ESCALATION", "Plan": {"Stages": [
        {"DurationInMinutes": 1, "Targets": [{"ContactTargetInfo": {"ContactId": ana, "IsEssential": True}}]}]}}))["ContactArn"]
    with pytest.raises(ValidationException) as info:
        await contacts.channel(esc)
    assert names(info.value) == ["ContactId"]
    with pytest.raises(ValidationException) as info:  # CreateContactChannel's model has no ResourceNotFoundException
        await contacts.channel(ana.replace("contact/ana", "contact/ghost"))
    assert names(info.value) == ["ContactId"]


async def test_unknown_channel_is_not_found(contacts, core):
    ana = await contacts.personal("ana")
    missing = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact-channel/ana/00000000-0000-0000-0000-000000000000"
    for op, extra in [("GetContactChannel", {}), ("UpdateContactChannel", {"Name": "x"}),
                      ("DeleteContactChannel", {}), ("SendActivationCode", {}),
                      ("ActivateContactChannel", {"ActivationCode": "123456"}), ("DeactivateContactChannel", {})]:
        with pytest.raises(ResourceNotFoundException):
            await contacts.c.call(op, {"ContactChannelId": missing, **extra})
    assert ana


async def test_update_address_needs_activation_again(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.activated(ana, "phone", type_="SMS", address="+14155550123")
    await contacts.channel(ana, "mail")
    with pytest.raises(ConflictException):
        await c.call("UpdateContactChannel", {"ContactChannelId": arn, "Name": "mail"})
    with pytest.raises(ConflictException):
        await contacts.channel(ana, "mail")
    with pytest.raises(ValidationException) as info:
        await c.call("UpdateContactChannel", {"ContactChannelId": arn, "DeliveryAddress": {"SimpleAddress": "ana@example.com"}})
    assert names(info.value) == ["DeliveryAddress.SimpleAddress"]
    assert await status(c, arn) == "ACTIVATED"

    await c.call("UpdateContactChannel", {"ContactChannelId": arn, "Name": "cell"})
    assert await status(c, arn) == "ACTIVATED"
    await c.call("UpdateContactChannel", {"ContactChannelId": arn, "DeliveryAddress": {"SimpleAddress": "+14155550199"}})
    got = await c.call("GetContactChannel", {"ContactChannelId": arn})
    assert (got["Name"], got["DeliveryAddress"]["SimpleAddress"], got["ActivationStatus"]) == (
        "cell", "+14155550199", "NOT_ACTIVATED")
    assert len(await contacts.messages(arn)) == 2
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": await contacts.code(arn)})
    assert await status(c, arn) == "ACTIVATED"


async def test_delete_channel_removes_it_from_the_plan(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    mail = await contacts.channel(ana, "mail")
    sms = await contacts.channel(ana, "sms", "SMS", "+14155550123")
    await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
        {"DurationInMinutes": 5, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": mail}}]},
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": sms}},
                                             {"ChannelTargetInfo": {"ContactChannelId": mail}}]}]}})
    await c.call("DeleteContactChannel", {"ContactChannelId": mail})
    stages = (await c.call("GetContact", {"ContactId": ana}))["Plan"]["Stages"]
    assert stages == [
        {"DurationInMinutes": 5, "Targets": []},
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": sms}}]},
    ]
    assert [x["ContactChannelArn"] for x in (await c.call("ListContactChannels", {"ContactId": ana}))["ContactChannels"]] == [sms]


async def test_delete_channel_drops_a_stage_it_leaves_empty_of_0_minutes(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    mail = await contacts.channel(ana, "mail")
    sms = await contacts.channel(ana, "sms", "SMS", "+14155550123")
    await c.call("UpdateContact", {"ContactId": ana, "Plan": {"Stages": [
        {"DurationInMinutes": 5, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": mail}}]},
        {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": sms}}]}]}})
    await c.call("DeleteContactChannel", {"ContactChannelId": sms})
    plan = (await c.call("GetContact", {"ContactId": ana}))["Plan"]
    assert plan["Stages"] == [{"DurationInMinutes": 5, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": mail}}]}]
    await c.call("UpdateContact", {"ContactId": ana, "Plan": plan})  # what is left is a plan the core takes


async def test_list_channels_pages_and_contact_delete_cascades(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    made = [await contacts.channel(ana, f"mail{i}", address=f"a{i}@example.com", defer=True) for i in range(5)]
    seen, token = [], None
    while True:
        out = await c.call("ListContactChannels", {"ContactId": ana, "MaxResults": 2, **({"NextToken": token} if token else {})})
        seen += [x["ContactChannelArn"] for x in out["ContactChannels"]]
        token = out.get("NextToken")
        if not token:
            break
    assert seen == made
    await c.call("DeleteContact", {"ContactId": ana})
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetContactChannel", {"ContactChannelId": made[0]})


async def test_idempotent_create_sends_one_code(contacts):
    c = contacts.c
    ana = await contacts.personal("ana")
    params = {"ContactId": ana, "Name": "mail", "Type": "EMAIL",
              "DeliveryAddress": {"SimpleAddress": "ana@example.com"}, "IdempotencyToken": "tok-1"}
    first = await c.call("CreateContactChannel", params)
    again = await c.call("CreateContactChannel", params)
    assert first == again
    assert len(await contacts.messages(first["ContactChannelArn"])) == 1


async def test_failed_activation_keeps_the_code_out_of_the_audit(contacts, core):
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.channel(ana)
    code = await contacts.code(arn)
    with pytest.raises(ValidationException):
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": wrong(code)})
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    async with core.db.transaction() as tx:
        rows = await tx.fetchall("SELECT params, result FROM audit WHERE operation = 'ActivateContactChannel'")
    assert [r["result"] for r in rows] == ["ValidationException", "OK"]
    text = " ".join(r["params"] for r in rows)
    assert code not in text and wrong(code) not in text


async def test_an_activated_channel_takes_no_code_but_the_one_sent(contacts):
    """An activated channel has no code pending: any code is refused (it activated a channel for
    999999 once), and a code SendActivationCode sends it is checked like any other."""
    c = contacts.c
    ana = await contacts.personal("ana")
    arn = await contacts.activated(ana)
    for guess in ("999999", "424242"):
        with pytest.raises(ValidationException) as info:
            await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": guess})
        assert names(info.value) == ["ActivationCode"] and "already activated" in info.value.message
    await c.call("SendActivationCode", {"ContactChannelId": arn})
    code = await contacts.code(arn)
    with pytest.raises(ValidationException) as info:
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": wrong(code)})
    assert "4 attempts left" in info.value.message
    await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
    assert await status(c, arn) == "ACTIVATED"
    with pytest.raises(ValidationException):  # the code is used up
        await c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
