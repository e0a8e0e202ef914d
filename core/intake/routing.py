"""Which response plan an alert starts: one plan, or ordered rules of EventBridge event
patterns (core.intake.patterns) each naming a plan, the first match winning, with a default.

    {"responsePlanArn": ARN}
    {"rules": [{"pattern": {...}, "responsePlanArn": ARN}, ...], "defaultResponsePlanArn": ARN}

Rules match the alert's event: the EventBridge event, the CloudWatch alarm message, the
Alertmanager or Grafana notification, the Opsgenie request or the generic payload.
"""

from __future__ import annotations

from typing import Any

from core.intake.patterns import PatternError, check_pattern, matches

MAX_RULES = 50


class RoutingError(ValueError):
    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member


def plan_arns(routing: dict[str, Any]) -> list[str]:
    """Every response plan the routing names (each must exist when it is saved)."""
    if "responsePlanArn" in routing:
        return [routing["responsePlanArn"]]
    return [rule["responsePlanArn"] for rule in routing["rules"]] + [routing["defaultResponsePlanArn"]]


def check_routing(routing: Any) -> dict[str, Any]:
    if not isinstance(routing, dict):
        raise RoutingError("routing", "routing is {\"responsePlanArn\": ARN} or {\"rules\": [...], \"defaultResponsePlanArn\": ARN}")
    if "responsePlanArn" in routing:
        if set(routing) != {"responsePlanArn"} or not isinstance(routing["responsePlanArn"], str):
            raise RoutingError("routing", "routing with one plan is exactly {\"responsePlanArn\": ARN}")
        return routing
    if set(routing) != {"rules", "defaultResponsePlanArn"}:
        raise RoutingError("routing", "routing by rules is {\"rules\": [...], \"defaultResponsePlanArn\": ARN}")
    if not isinstance(routing["defaultResponsePlanArn"], str):
        raise RoutingError("routing.defaultResponsePlanArn", "routing.defaultResponsePlanArn must be a response plan ARN")
    rules = routing["rules"]
    if not isinstance(rules, list) or not 1 <= len(rules) <= MAX_RULES:
        raise RoutingError("routing.rules", f"routing.rules is a list of 1 to {MAX_RULES} rules")
    for i, rule in enumerate(rules):
        where = f"routing.rules[{i}]"
        if not isinstance(rule, dict) or set(rule) != {"pattern", "responsePlanArn"}:
            raise RoutingError(where, f"{where} is {{\"pattern\": {{...}}, \"responsePlanArn\": ARN}}")
        if not isinstance(rule["responsePlanArn"], str):
            raise RoutingError(f"{where}.responsePlanArn", f"{where}.responsePlanArn must be a response plan ARN")
        try:
            check_pattern(rule["pattern"])
        except PatternError as exc:
            raise RoutingError(f"{where}.pattern", f"{where}.pattern: {exc}") from None
    return routing


def route(routing: dict[str, Any], event: dict[str, Any]) -> str:
    """The response plan ARN for an alert whose event is ``event``."""
    if "responsePlanArn" in routing:
        return routing["responsePlanArn"]
    for rule in routing["rules"]:
        if matches(rule["pattern"], event):
            return rule["responsePlanArn"]
    return routing["defaultResponsePlanArn"]
