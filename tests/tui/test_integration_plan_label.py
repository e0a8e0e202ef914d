"""The Integrations table's plan column: one plan by name, or how many routing rules and the
default, in words that agree with the count."""

from __future__ import annotations

from cockpit.integrations.calls import plan_of

PLAN = "arn:aws:ssm-incidents::111122223333:response-plan/"


def test_the_plan_column_counts_rules_in_words() -> None:
    assert plan_of({"routing": {"responsePlanArn": PLAN + "api"}}) == "api"
    one = {"rules": [{"pattern": {}, "responsePlanArn": PLAN + "db"}], "defaultResponsePlanArn": PLAN + "data"}
    assert plan_of({"routing": one}) == "1 rule, else data"
    two = {**one, "rules": one["rules"] * 2}
    assert plan_of({"routing": two}) == "2 rules, else data"
