"""Input patterns from botocore's models are enforced, including the Java character classes
(\\p{L} letters, \\p{N} digits, \\p{Z} separators) of ssm-contacts' names and tag values, and
a required string is never empty."""

from __future__ import annotations

import pytest

from core.errors import ValidationException
from core.ops import shapes
from core.ops.aws_models import shape


def _names(exc: ValidationException) -> list[str]:
    return [f["name"] for f in exc.fields]


def test_the_java_classes_are_in_the_models_patterns():
    for name in ("ContactName", "ChannelName", "TagValue"):
        assert r"\p{L}" in shape("ssm-contacts", name).metadata["pattern"]


@pytest.mark.parametrize("display", ["Zoë Ünal", "Łukasz Żółć", "李小龍", "Agent 007", "Ana\u00a0M.", "a_b.c-d"])
async def test_letters_digits_and_separators_of_any_script_are_accepted(ready, display):
    client, _ = ready
    arn = (await client.call("CreateContact", {"Alias": "ana", "DisplayName": display, "Type": "PERSONAL",
                                               "Plan": {"Stages": []}}))["ContactArn"]
    assert (await client.call("GetContact", {"ContactId": arn}))["DisplayName"] == display


@pytest.mark.parametrize("display", ["Ana <script>", "Ana!", "a;b", "x\ty", "emoji 🚨"])
async def test_other_characters_in_a_display_name_are_refused(ready, display):
    client, _ = ready
    with pytest.raises(ValidationException) as info:
        await client.call("CreateContact", {"Alias": "ana", "DisplayName": display, "Type": "PERSONAL",
                                            "Plan": {"Stages": []}})
    assert _names(info.value) == ["DisplayName"]
    assert "must hold only letters, spaces, digits and _ . -" in info.value.message


async def test_channel_names_and_tag_values_are_checked_too(ready):
    client, _ = ready
    ana = (await client.call("CreateContact", {"Alias": "ana", "Type": "PERSONAL", "Plan": {"Stages": []},
                                               "Tags": [{"Key": "team", "Value": "Zahlungsverkehr/München"}]}))["ContactArn"]
    with pytest.raises(ValidationException) as info:
        await client.call("CreateContactChannel", {"ContactId": ana, "Name": "mail<1>", "Type": "EMAIL",
                                                   "DeliveryAddress": {"SimpleAddress": "ana@example.com"}})
    assert _names(info.value) == ["Name"]
    with pytest.raises(ValidationException) as info:
        await client.call("TagResource", {"ResourceARN": ana, "Tags": [{"Key": "team", "Value": "a&b"}]})
    assert _names(info.value) == ["Tags[0].Value"]


async def test_a_required_string_is_never_empty(ready):
    client, _ = ready
    with pytest.raises(ValidationException) as info:  # IncidentTitle allows 0 characters; required
        await client.call("CreateResponsePlan", {"name": "p", "incidentTemplate": {"title": "", "impact": 3}})
    assert _names(info.value) == ["incidentTemplate.title"]
    assert "must not be empty" in info.value.message
    out = shapes.check_output(shape("ssm-incidents", "GetResponsePlanOutput"),
                              {"arn": "arn:aws:ssm-incidents::123456789012:response-plan/p", "name": "p",
                               "incidentTemplate": {"title": "", "impact": 3}})
    assert out == [{"name": "incidentTemplate.title", "message": "is required and must not be empty"}]
