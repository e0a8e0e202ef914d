"""A name refused by its pattern is told, in words, the form it should have (the allowed
characters, the length, the ones it holds that are not allowed), by both validators (botocore's
model patterns and the own operations' fields); an empty required string is said once."""

from __future__ import annotations

import pytest

from core.errors import ValidationException
from core.ops.pattern_words import pattern_words


@pytest.mark.parametrize(("pattern", "value", "words"), [
    (r"^[A-Za-z0-9_.\-]{3,128}$", "my rb!",
     "must be 3 to 128 characters long and hold only letters, digits and _ . - (not a space or !)"),
    (r"^[a-zA-Z0-9_\-\s\.]*$", "night!", "must hold only letters, digits, spaces and _ - . (not !)"),
    (r"^[\p{L}\p{Z}\p{N}_.\-]*$", "x\ty", "must hold only letters, spaces, digits and _ . - (not a tab)"),
    (r"^[a-z0-9][a-z0-9-]{0,63}$", "-ab",
     "must be 1 to 64 characters long, start with lower-case letters or digits and hold only lower-case letters, "
     "digits and - (not - first)"),
    (r"^[A-Za-z0-9 _=@:.+-/]*$", "a!", "must hold only letters, digits, spaces and _ = @ : . + , - / (not !)"),
    (r"^[0-9]{6,10}$", "12", "must be 6 to 10 characters long and hold only digits"),
])
def test_a_name_pattern_in_words(pattern, value, words):
    assert pattern_words(pattern, value) == words


@pytest.mark.parametrize("pattern", [r"^[.\s\S]*$", r"^arn:aws(-cn|-us-gov)?:iam::([0-9]{12})?:role/.+$", r".*\S.*"])
def test_other_patterns_are_not_put_in_words(pattern):
    assert pattern_words(pattern, "x") is None


async def test_the_model_pattern_and_the_own_field_say_the_form(ready):
    client, _ = ready
    with pytest.raises(ValidationException) as info:  # ssm-contacts RotationName, botocore's model
        await client.call("CreateRotation", {"Name": "night!", "ContactIds": [], "StartTime": "2026-03-02T09:00:00Z",
                                             "TimeZoneId": "UTC", "Recurrence": {"NumberOfOnCalls": 1,
                                             "RecurrenceMultiplier": 1, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}})
    assert {"name": "Name", "message": "must hold only letters, digits, spaces and _ - . (not !)"} in info.value.fields
    with pytest.raises(ValidationException) as info:  # an own operation's field (pydantic)
        await client.call("CreateRunbook", {"name": "my rb!", "content": "description: x\nmainSteps: []\n"})
    assert info.value.fields == [{"name": "name", "message": "must be 3 to 128 characters long and hold only "
                                                             "letters, digits and _ . - (not a space or !)"}]


async def test_an_empty_required_name_is_said_once(ready):
    client, _ = ready
    with pytest.raises(ValidationException) as info:
        await client.call("CreateRotation", {"Name": "", "ContactIds": [], "StartTime": "2026-03-02T09:00:00Z",
                                             "TimeZoneId": "UTC", "Recurrence": {"NumberOfOnCalls": 1,
                                             "RecurrenceMultiplier": 1, "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}})
    assert [f for f in info.value.fields if f["name"] == "Name"] == [
        {"name": "Name", "message": "is required and must not be empty"}]
    assert {"name": "ContactIds", "message": "must have at least 1 item (has 0)"} in info.value.fields
