"""An integration's routing as the Integrations area edits it: ordered rules (an EventBridge
event pattern and the response plan it starts) and the default plan for an alert no rule
matches; with no rule, the one plan. The core checks each pattern when the routing is saved
(core.intake.patterns), and its error names the rule and the pattern's field. Pure: no Textual."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

RULE_MEMBER = re.compile(r"^routing\.rules\[(\d+)\](?:\.(pattern|responsePlanArn))?")


@dataclass
class Routing:
    default: str
    """The response plan of an alert that no rule matches (the only one, with no rules)."""
    rules: list[dict[str, Any]] = field(default_factory=list)
    """``{"pattern": {...}, "responsePlanArn": ARN}``, the first match winning."""

    @classmethod
    def of(cls, integration: dict[str, Any]) -> Routing:
        routing = integration["routing"]
        if "responsePlanArn" in routing:
            return cls(routing["responsePlanArn"])
        return cls(routing["defaultResponsePlanArn"], [dict(r) for r in routing["rules"]])

    def request(self) -> dict[str, Any]:
        """The UpdateIntegration members that store this routing."""
        if not self.rules:
            return {"responsePlanArn": self.default}
        return {"routing": {"rules": self.rules, "defaultResponsePlanArn": self.default}}

    def with_rule(self, index: int | None, rule: dict[str, Any]) -> Routing:
        """A copy with ``rule`` replacing rule ``index``, or added at the end (None)."""
        rules = list(self.rules)
        if index is None:
            rules.append(rule)
        else:
            rules[index] = rule
        return Routing(self.default, rules)

    def without(self, index: int) -> Routing:
        return Routing(self.default, [r for i, r in enumerate(self.rules) if i != index])

    def moved(self, index: int, by: int) -> Routing:
        """A copy with rule ``index`` moved ``by`` places (-1 up, 1 down), kept in range."""
        to = max(0, min(len(self.rules) - 1, index + by))
        rules = list(self.rules)
        rules.insert(to, rules.pop(index))
        return Routing(self.default, rules)


def plan_choices(plans: list[tuple[str, str]], arn: str | None) -> list[tuple[str, str]]:
    """The plans to choose from, holding ``arn`` even when the list no longer does (a plan
    deleted since the routing named it)."""
    return plans if arn is None or any(a == arn for _, a in plans) else [*plans, (arn.rsplit("/", 1)[-1], arn)]


def pattern_text(pattern: dict[str, Any]) -> str:
    """A pattern on one line, for the list of rules."""
    return json.dumps(pattern, separators=(", ", ": "), ensure_ascii=False)


def rule_error(member: str, message: str) -> tuple[int | None, str]:
    """The rule a core error is about (``routing.rules[2].pattern`` -> 2) and its message
    without the member path (``detail-type: a field's values are given as a list...``)."""
    found = RULE_MEMBER.match(member)
    if found is None:
        return None, message
    return int(found.group(1)), RULE_MEMBER.sub("", message, count=1).lstrip(": ").strip() or message
