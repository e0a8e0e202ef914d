"""The event-pattern matcher: aws/event-ruler's README examples as a table, and properties."""

from __future__ import annotations

import ipaddress
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.intake.patterns import MATCHER_KEYS, PatternError, check_pattern, matches

EVENT = {
    "version": "0",
    "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "012345679012",
    "time": "2017-10-02T16:24:49Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    "detail": {
        "c-count": 5,
        "d-count": 3,
        "x-limit": 301.8,
        "source-ip": "10.0.0.33",
        "instance-id": "i-000000aaaaaa00000",
        "state": "running",
    },
}
EMPLOYEES = {"employees": [
    {"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"},
    {"firstName": "Peter", "lastName": "Jones"},
]}
NESTED_EMPLOYEES = {"employees": [
    [{"firstName": "John", "lastName": "Doe"}, {"firstName": "Anna", "lastName": "Smith"}],
    [{"firstName": "Peter", "lastName": "Jones"}],
]}
METRIC = {"source": "aws.cloudwatch", "metricName": "CPUUtilization", "namespace": "AWS/EC2",
          "detail": {"source": "x", "detail-type": "CloudWatch Alarm State Change"}}

# (pattern, event, expected): the README's examples, in its order
README = [
    ({"detail-type": ["EC2 Instance State-change Notification"],
      "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
      "detail": {"state": ["initializing", "running"]}}, EVENT, True),
    ({"time": [{"prefix": "2017-10-02"}]}, EVENT, True),
    ({"source": [{"suffix": "ec2"}]}, EVENT, True),
    ({"source": [{"equals-ignore-case": "EC2"}]}, EVENT, False),
    ({"source": [{"equals-ignore-case": "AWS.EC2"}]}, EVENT, True),
    ({"source": [{"wildcard": "Simple*Service"}]}, {"source": "SimpleQueueService"}, True),
    ({"source": [{"wildcard": "Simple*Service"}]}, EVENT, False),
    ({"detail": {"state": [{"anything-but": "initializing"}]}}, EVENT, True),
    ({"detail": {"x-limit": [{"anything-but": 123}]}}, EVENT, True),
    ({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}, EVENT, True),
    ({"detail": {"state": [{"anything-but": ["stopped", "running"]}]}}, EVENT, False),
    ({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}, EVENT, True),
    ({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}, EVENT, True),
    ({"detail": {"state": [{"anything-but": {"prefix": "run"}}]}}, EVENT, False),
    ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                 "x-limit": [{"numeric": ["=", 3.018e2]}]}}, EVENT, True),
    ({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}}, EVENT, True),
    ({"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}}, EVENT, False),
    ({"detail": {"c-count": [{"exists": True}]}}, EVENT, True),
    ({"detail": {"c-count": [{"exists": False}]}}, EVENT, False),
    ({"detail": {"c-count": [{"exists": False}]}},
     {"detail-type": ["EC2 Instance State-change Notification"], "detail": {"state": ["initializing", "running"]}}, True),
    ({"detail": {"c-count": [{"exists": False}]}},
     {"detail": {"state": ["initializing", "running"], "c-count": {"c1": 100}}}, True),
    ({"time": [{"prefix": "2017-10-02"}],
      "detail": {"state": [{"anything-but": "initializing"}], "c-count": [{"numeric": [">", 0, "<=", 5]}],
                 "d-count": [{"numeric": ["<", 10]}], "x-limit": [{"anything-but": [100, 200, 300]}],
                 "source-ip": [{"cidr": "10.0.0.0/8"}]}}, EVENT, True),
    ({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                                             {"namespace": ["AWS/EC2", "AWS/ES"]}]}, METRIC, True),
    ({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["ReadLatency"]}, {"namespace": ["AWS/ES"]}]},
     METRIC, False),
    ({"$or": [{"metricName": ["CPUUtilization", "ReadLatency"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}],
      "detail": {"$or": [{"source": ["aws.cloudwatch"]}, {"detail-type": ["CloudWatch Alarm State Change"]}]}},
     METRIC, True),
    ({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["Nope"]}, {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"]},
        {"scope": ["Service"]}]}, {**METRIC, "metricType": "MetricType"}, True),
    ({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["Nope"]},
        {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
        {"scope": ["Service"]}]}, {**METRIC, "metricType": "MetricType", "spaceId": 1000}, True),
    ({"source": ["aws.cloudwatch"], "$or": [
        {"metricName": ["Nope"]},
        {"metricType": ["MetricType"], "namespace": ["AWS/EC2"], "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]},
        {"scope": ["Service"]}]}, {**METRIC, "metricType": "MetricType", "spaceId": 999}, False),
    # "$or" as an ordinary field name (not a list of 2+ objects)
    ({"source": ["aws.cloudwatch"], "$or": {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"]}},
     {"source": "aws.cloudwatch", "$or": {"metricType": "MetricType", "namespace": "AWS/EC2"}}, True),
    ({"source": ["aws.cloudwatch"], "$or": {"metricType": ["MetricType"], "namespace": ["AWS/EC2", "AWS/ES"]}},
     METRIC, False),
    ({"employees": {"firstName": ["Anna"]}}, EMPLOYEES, True),
    ({"employees": {"firstName": ["Anna"]}}, NESTED_EMPLOYEES, True),
    ({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}, EMPLOYEES, False),
    ({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}, EMPLOYEES, True),
    ({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}, NESTED_EMPLOYEES, False),
]


@pytest.mark.parametrize(("pattern", "event", "expected"), README, ids=lambda v: json.dumps(v)[:60])
def test_readme_examples(pattern, event, expected):
    check_pattern(pattern)
    assert matches(pattern, event) is expected


def test_more_forms():
    assert matches({"a": [{"anything-but": {"suffix": ".png"}}]}, {"a": "x.jpg"})
    assert not matches({"a": [{"anything-but": {"suffix": ".png"}}]}, {"a": "x.png"})
    assert not matches({"a": [{"anything-but": {"equals-ignore-case": ["ON", "yes"]}}]}, {"a": "Yes"})
    assert matches({"a": [{"anything-but": {"wildcard": "*.png"}}]}, {"a": "x.gif"})
    assert matches({"a": [{"prefix": {"equals-ignore-case": "ERR"}}]}, {"a": "error: disk"})
    assert matches({"a": [{"suffix": {"equals-ignore-case": "FULL"}}]}, {"a": "disk full"})
    assert not matches({"a": [{"anything-but": "x"}]}, {"b": 1})  # anything-but needs a value
    assert matches({"a": [{"wildcard": "a\\*b"}]}, {"a": "a*b"}) and not matches({"a": [{"wildcard": "a\\*b"}]}, {"a": "axb"})
    check_pattern({"a": [{"wildcard": "a\\**"}]})  # an escaped '*' then a wildcard: not consecutive
    assert matches({"a": [{"wildcard": "a\\**"}]}, {"a": "a*xyz"}) and not matches({"a": [{"wildcard": "a\\**"}]}, {"a": "ab"})
    assert matches({"ip": [{"cidr": "2001:db8::/32"}]}, {"ip": "2001:db8::1"})
    assert matches({"n": [None]}, {"n": None}) and not matches({"n": [None]}, {"n": "null"})
    assert matches({"n": [5]}, {"n": 5.0}) and not matches({"n": ["5"]}, {"n": 5})
    assert matches({"tags": ["b"]}, {"tags": ["a", "b"]})


@pytest.mark.parametrize(("pattern", "path", "words"), [
    ([], "", "JSON object"),
    ({}, "", "at least one field"),
    ({"a": "x"}, "a", "as a list"),
    ({"a": []}, "a", "empty list"),
    ({"a": [{"wildcard": "a**b"}]}, "a", "consecutive"),
    ({"a": [{"wildcard": "a\\b"}]}, "a", "backslash"),
    ({"a": [{"numeric": [">", 5, "<", 1]}]}, "a", "lower bound must be below"),
    ({"a": [{"numeric": [">", 1, ">", 2]}]}, "a", "at most one lower"),
    ({"a": [{"numeric": ["~", 1]}]}, "a", "not one of"),
    ({"a": [{"numeric": ["<", 6e9]}]}, "a", "outside"),
    ({"a": [{"anything-but": [1, "x"]}]}, "a", "only strings or only numbers"),
    ({"a": [{"cidr": "10.0.0.0/99"}]}, "a", "not a network"),
    ({"a": [{"exists": "yes"}]}, "a", "true or false"),
    ({"d": {"e": [{"regex": "x"}]}}, "d.e", "unknown matcher"),
    ({"$or": [{"a": [1]}, {"b": [{"bogus": 1}]}]}, "$or[1].b", "unknown matcher"),
])
def test_bad_patterns_name_the_field(pattern, path, words):
    with pytest.raises(PatternError, match=words) as raised:
        check_pattern(pattern)
    assert raised.value.path == path


# ---------------------------------------------------------------------------- properties

keys = st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=6).filter(
    lambda k: k not in MATCHER_KEYS)  # a matcher's keyword as a field name makes "$or" a plain field
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(-1e6, 1e6, allow_nan=False), st.text(max_size=8))
events = st.recursive(scalars, lambda inner: st.dictionaries(keys, inner, max_size=4), max_leaves=12).filter(
    lambda e: isinstance(e, dict) and e
)


def _leaf_paths(event, prefix=()):
    for key, value in event.items():
        if isinstance(value, dict):
            yield from _leaf_paths(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _nest(path, matchers):
    pattern = matchers
    for key in reversed(path):
        pattern = {key: pattern}
    return pattern


@given(events, st.data())
def test_an_event_matches_its_own_values(event, data):
    paths = list(_leaf_paths(event))
    if not paths:
        return
    path, value = data.draw(st.sampled_from(paths))
    pattern = _nest(path, [value])
    check_pattern(pattern)
    assert matches(pattern, event)
    assert matches(_nest(path, [{"exists": True}]), event)
    assert not matches(_nest(path, [{"exists": False}]), event)
    # anything-but a value is exactly "not that value" for a field holding one value
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        assert not matches(_nest(path, [{"anything-but": value}]), event)


@given(st.text(max_size=12), st.text(max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_string_matchers_agree_with_python(value, other, cut, cut2):
    event = {"f": value}
    assert matches({"f": [{"prefix": value[:cut]}]}, event)
    assert matches({"f": [{"suffix": value[cut:]}]}, event)
    assert matches({"f": [{"prefix": other}]}, event) is value.startswith(other)
    assert matches({"f": [{"suffix": other}]}, event) is value.endswith(other)
    assert matches({"f": [{"equals-ignore-case": value.swapcase()}]}, event) is (value.swapcase().casefold() == value.casefold())
    assert matches({"f": [{"anything-but": {"prefix": other}}]}, event) is not value.startswith(other)
    # a wildcard replacing any middle run by "*" still matches (escaping the rest)
    lo, hi = sorted((cut, cut2))
    escape = lambda s: s.replace("\\", "\\\\").replace("*", "\\*")  # noqa: E731
    wildcard = escape(value[:lo]) + "*" + escape(value[hi:]) if lo < hi else escape(value)
    check_pattern({"f": [{"wildcard": wildcard}]})
    assert matches({"f": [{"wildcard": wildcard}]}, event)


bounds = st.floats(-1e9, 1e9, allow_nan=False)


@given(st.floats(-5e9, 5e9, allow_nan=False), bounds, bounds, st.sampled_from([">", ">="]), st.sampled_from(["<", "<="]))
def test_numeric_ranges_agree_with_python(value, a, b, low_op, high_op):
    lo, hi = sorted((a, b))
    if lo == hi:
        return
    pattern = {"n": [{"numeric": [low_op, lo, high_op, hi]}]}
    check_pattern(pattern)
    above = value > lo if low_op == ">" else value >= lo
    below = value < hi if high_op == "<" else value <= hi
    assert matches(pattern, {"n": value}) is (above and below)
    assert not matches(pattern, {"n": str(value)})  # numbers only


@given(st.ip_addresses(v=4), st.integers(0, 32), st.ip_addresses(v=4))
def test_cidr_agrees_with_ipaddress(address, prefix, other):
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    assert matches({"ip": [{"cidr": str(network)}]}, {"ip": str(address)})
    assert matches({"ip": [{"cidr": str(network)}]}, {"ip": str(other)}) is (other in network)


@given(events, events, st.data())
def test_or_is_either_and_fields_are_all(first, second, data):
    event = {**first, **second}
    paths = list(_leaf_paths(event))
    if len(paths) < 2:
        return
    (p1, v1), (p2, v2) = data.draw(st.sampled_from(paths)), data.draw(st.sampled_from(paths))
    miss = data.draw(st.booleans())
    one = _nest(p1, [v1])
    two = _nest(p2, ["\x00never"] if miss else [v2])
    either = {"$or": [one, two]}
    check_pattern(either)
    assert matches(either, event) is (matches(one, event) or matches(two, event))
    both = {**one}
    if p1[0] != p2[0]:
        both.update(two)
        assert matches(both, event) is (matches(one, event) and matches(two, event))


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), min_size=2), min_size=1, max_size=4),
       st.integers(0, 3), st.integers(0, 3))
def test_array_fields_match_within_one_element(items, a, b):
    event = {"list": items}
    pattern = {"list": {"a": [a], "b": [b]}}
    assert matches(pattern, event) is any(item.get("a") == a and item.get("b") == b for item in items)
