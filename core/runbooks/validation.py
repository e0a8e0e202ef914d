"""Checking a runbook document before it is saved: every problem names its step and what is
wrong (an unknown action or input, a missing input, a ``nextStep`` naming no step, a cycle with
no exit, a bad duration, duplicate names...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.errors import ValidationException
from core.runbooks import choices
from core.runbooks.document import SCHEMA_VERSION, steps_of
from core.runbooks.durations import parse_duration, parse_instant
from core.runbooks.parameters import PARAMETER_TYPES, coerce_parameter
from core.runbooks.results import TYPES, selector_problem
from core.runbooks.substitution import BUILTINS, REF_RE, references

NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,128}$")
STEP_PROPERTIES = frozenset(
    {"name", "action", "description", "inputs", "onFailure", "maxAttempts", "timeoutSeconds",
     "nextStep", "isEnd", "isCritical", "outputs"}
)
DOC_PROPERTIES = frozenset({"schemaVersion", "description", "parameters", "mainSteps", "assumeRole", "outputs"})
# action -> (required inputs, optional inputs)
ACTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "aws:pause": (frozenset(), frozenset({"Message"})),
    "aws:sleep": (frozenset(), frozenset({"Duration", "Timestamp"})),
    "aws:approve": (frozenset({"Approvers"}), frozenset({"MinRequiredApprovals", "Message"})),
    "aws:branch": (frozenset({"Choices"}), frozenset({"Default"})),
    "aws:executeScript": (frozenset({"Runtime", "Handler", "Script"}), frozenset({"InputPayload"})),
    "cockpit:runCommand": (frozenset({"Command"}), frozenset({"Arguments", "Environment"})),
    "cockpit:httpRequest": (frozenset({"Url"}), frozenset({"Method", "Headers", "Body"})),
}
ACTIONS_WITH_RESULTS = frozenset({"aws:executeScript", "cockpit:runCommand", "cockpit:httpRequest"})
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
MAX_ATTEMPTS = 10
MAX_TIMEOUT_S = 7 * 24 * 3600
END = "(end)"


@dataclass(frozen=True)
class Problem:
    step: str | None
    field: str
    message: str

    def text(self) -> str:
        return f"step {self.step!r}: {self.message}" if self.step else self.message

    def to_dict(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.text()}
        if self.step:
            out["step"] = self.step
        return out


def _is_ref(value: Any) -> bool:
    return isinstance(value, str) and REF_RE.fullmatch(value.strip()) is not None


def _parameter_problems(doc: dict[str, Any]) -> list[Problem]:
    params = doc.get("parameters")
    if params is None:
        return []
    if not isinstance(params, dict):
        return [Problem(None, "parameters", "parameters must be a mapping of name to {type, default}")]
    out = []
    for name, spec in params.items():
        where = f"parameters.{name}"
        if not isinstance(name, str) or not NAME_RE.match(name):
            out.append(Problem(None, where, f"parameter name {name!r} must be letters, digits and _"))
            continue
        if not isinstance(spec, dict):
            out.append(Problem(None, where, f"parameter {name} must be a mapping with a type"))
            continue
        kind = spec.get("type")
        if kind not in PARAMETER_TYPES:
            out.append(Problem(None, f"{where}.type", f"parameter {name} has type {kind!r}; use one of {', '.join(PARAMETER_TYPES)}"))
            continue
        if "default" in spec:
            try:
                coerce_parameter(name, kind, spec["default"])
            except ValueError as exc:
                out.append(Problem(None, f"{where}.default", f"the default of {exc}"))
    return out


def _input_problems(step: dict[str, Any], name: str, action: str, where: str, names: set[str]) -> list[Problem]:
    inputs = step.get("inputs") if step.get("inputs") is not None else {}
    if not isinstance(inputs, dict):
        return [Problem(name, f"{where}.inputs", "inputs must be a mapping")]
    required, optional = ACTIONS[action]
    out = [
        Problem(name, f"{where}.inputs.{key}", f"{action} needs the input {key}")
        for key in sorted(required - inputs.keys())
    ]
    known = required | optional
    out += [
        Problem(name, f"{where}.inputs.{key}", f"{action} has no input {key!r} (its inputs: {', '.join(sorted(known)) or 'none'})")
        for key in inputs
        if key not in known
    ]

    def bad(key: str, message: str) -> None:
        out.append(Problem(name, f"{where}.inputs.{key}", message))

    if action == "aws:sleep":
        given = [k for k in ("Duration", "Timestamp") if k in inputs]
        if len(given) != 1:
            bad("Duration", "aws:sleep needs one of Duration (ISO-8601, e.g. PT10M) or Timestamp")
        elif not _is_ref(inputs[given[0]]):
            try:
                (parse_duration if given[0] == "Duration" else parse_instant)(inputs[given[0]])
            except ValueError as exc:
                bad(given[0], str(exc))
    elif action == "aws:approve":
        approvers = inputs.get("Approvers")
        if "Approvers" in inputs and not _is_ref(approvers) and (
            not isinstance(approvers, list) or not approvers or not all(isinstance(a, str) and a for a in approvers)
        ):
            bad("Approvers", "Approvers must be a list of contacts (ARN or alias) or user names")
        least = inputs.get("MinRequiredApprovals", 1)
        if not _is_ref(least):
            if not isinstance(least, int) or isinstance(least, bool) or least < 1:
                bad("MinRequiredApprovals", f"MinRequiredApprovals must be a whole number of at least 1, not {least!r}")
            elif isinstance(approvers, list) and least > len(approvers):
                bad("MinRequiredApprovals", f"MinRequiredApprovals is {least}, more than the {len(approvers)} approvers")
    elif action == "aws:branch":
        listed = inputs.get("Choices")
        if "Choices" in inputs and (not isinstance(listed, list) or not listed):
            bad("Choices", "Choices must be a non-empty list")
        for i, choice in enumerate(listed if isinstance(listed, list) else []):
            for message in choices.condition_problems(choice, f"Choices[{i}]"):
                bad("Choices", message)
            target = choice.get("NextStep") if isinstance(choice, dict) else None
            if target is None:
                bad("Choices", f"Choices[{i}] has no NextStep")
            elif target not in names:
                bad("Choices", f"Choices[{i}].NextStep {target!r} names no step")
        default = inputs.get("Default")
        if default is not None and default not in names:
            bad("Default", f"Default {default!r} names no step")
    elif action == "aws:executeScript":
        runtime = inputs.get("Runtime")
        if runtime is not None and not (isinstance(runtime, str) and re.fullmatch(r"python3(\.\d+)?", runtime)):
            bad("Runtime", f"Runtime {runtime!r} is not supported (use python3.11 or python3)")
        for key in ("Handler", "Script"):
            if key in inputs and not (isinstance(inputs[key], str) and inputs[key].strip()):
                bad(key, f"{key} must be non-empty text")
        if "InputPayload" in inputs and not isinstance(inputs["InputPayload"], dict):
            bad("InputPayload", "InputPayload must be a mapping")
    elif action == "cockpit:runCommand":
        if "Command" in inputs and not (isinstance(inputs["Command"], str) and inputs["Command"].strip()):
            bad("Command", "Command must be the name or path of one program (no shell)")
        args = inputs.get("Arguments", [])
        if not _is_ref(args) and (not isinstance(args, list) or not all(isinstance(a, str) for a in args)):
            bad("Arguments", "Arguments must be a list of text")
        env = inputs.get("Environment", {})
        if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            bad("Environment", "Environment must map names to text")
    elif action == "cockpit:httpRequest":
        method = str(inputs.get("Method", "GET")).upper()
        if method not in HTTP_METHODS:
            bad("Method", f"Method {inputs.get('Method')!r} is not one of {', '.join(HTTP_METHODS)}")
        url = inputs.get("Url")
        if "Url" in inputs and not _is_ref(url) and not (isinstance(url, str) and re.match(r"^https?://", url.split("{{")[0] or "http://")):
            bad("Url", f"Url {url!r} must be an http:// or https:// address")
        headers = inputs.get("Headers", {})
        if not isinstance(headers, dict):
            bad("Headers", "Headers must map names to text")
    return out


def _property_problems(step: dict[str, Any], name: str, where: str, names: set[str]) -> list[Problem]:
    out = [
        Problem(name, f"{where}.{key}", f"unknown step property {key!r}")
        for key in step
        if key not in STEP_PROPERTIES
    ]
    on_failure = step.get("onFailure", "Abort")
    if on_failure not in ("Abort", "Continue"):
        target = on_failure[5:] if isinstance(on_failure, str) and on_failure.startswith("step:") else None
        if target is None:
            out.append(Problem(name, f"{where}.onFailure", f"onFailure {on_failure!r} must be Abort, Continue or step:NAME"))
        elif target not in names:
            out.append(Problem(name, f"{where}.onFailure", f"onFailure {on_failure!r} names no step"))
    if "nextStep" in step and step["nextStep"] not in names:
        out.append(Problem(name, f"{where}.nextStep", f"nextStep {step['nextStep']!r} names no step"))
    for key, ceiling in (("maxAttempts", MAX_ATTEMPTS), ("timeoutSeconds", MAX_TIMEOUT_S)):
        value = step.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= ceiling):
            out.append(Problem(name, f"{where}.{key}", f"{key} must be a whole number from 1 to {ceiling}, not {value!r}"))
    for key in ("isEnd", "isCritical"):
        if key in step and not isinstance(step[key], bool):
            out.append(Problem(name, f"{where}.{key}", f"{key} must be true or false"))
    if "description" in step and not isinstance(step["description"], str):
        out.append(Problem(name, f"{where}.description", "description must be text (Markdown)"))
    return out


def _output_problems(step: dict[str, Any], name: str, action: str, where: str) -> list[Problem]:
    declared = step.get("outputs")
    if declared is None:
        return []
    if action not in ACTIONS_WITH_RESULTS:
        return [Problem(name, f"{where}.outputs", f"{action} returns no result to select outputs from")]
    if not isinstance(declared, list):
        return [Problem(name, f"{where}.outputs", "outputs must be a list of {Name, Selector, Type}")]
    out, seen = [], set()
    for i, decl in enumerate(declared):
        at = f"{where}.outputs[{i}]"
        if not isinstance(decl, dict) or not isinstance(decl.get("Name"), str) or not NAME_RE.match(decl["Name"]):
            out.append(Problem(name, at, f"outputs[{i}] needs a Name of letters, digits and _"))
            continue
        if decl["Name"] in seen:
            out.append(Problem(name, at, f"output {decl['Name']} is declared twice"))
        seen.add(decl["Name"])
        if problem := selector_problem(decl.get("Selector")):
            out.append(Problem(name, f"{at}.Selector", f"output {decl['Name']}: {problem}"))
        if decl.get("Type", "String") not in TYPES:
            out.append(Problem(name, f"{at}.Type", f"output {decl['Name']} has type {decl.get('Type')!r}; use one of {', '.join(TYPES)}"))
    return out


def _reference_problems(doc: dict[str, Any], steps: list[dict[str, Any]]) -> list[Problem]:
    params = set(doc.get("parameters") or {}) if isinstance(doc.get("parameters"), dict) else set()
    declared = {
        f"{s['name']}.{o['Name']}"
        for s in steps
        for o in (s.get("outputs") or [] if isinstance(s.get("outputs"), list) else [])
        if isinstance(o, dict) and "Name" in o
    }
    out = []
    for i, step in enumerate(steps):
        for ref in references(step.get("inputs")):
            if ref in params or ref in declared or ref in BUILTINS:
                continue
            if "." in ref:
                owner = ref.split(".", 1)[0]
                known = any(s.get("name") == owner for s in steps)
                why = f"step {owner!r} declares no output {ref.split('.', 1)[1]!r}" if known else f"there is no step {owner!r}"
            else:
                why = f"there is no parameter {ref!r}"
            out.append(Problem(step.get("name"), f"mainSteps[{i}].inputs", f"{{{{ {ref} }}}} refers to nothing: {why}"))
    return out


def successors(steps: list[dict[str, Any]], i: int) -> set[str]:
    """Where a step may lead when it succeeds (END when the execution may finish there)."""
    step = steps[i]
    if step.get("action") == "aws:branch":
        inputs = step.get("inputs") or {}
        found = {c.get("NextStep") for c in inputs.get("Choices") or [] if isinstance(c, dict)}
        if inputs.get("Default"):
            found.add(inputs["Default"])
        return {s for s in found if isinstance(s, str)}
    if step.get("isEnd"):
        return {END}
    if "nextStep" in step:
        return {step["nextStep"]}
    return {steps[i + 1]["name"]} if i + 1 < len(steps) else {END}


def _cycle_problems(steps: list[dict[str, Any]]) -> list[Problem]:
    """Steps that can never reach the end: they loop among themselves with no way out."""
    index = {s["name"]: i for i, s in enumerate(steps)}
    nexts = {s["name"]: successors(steps, i) for i, s in enumerate(steps)}
    finishes = {END}
    changed = True
    while changed:
        changed = False
        for name, targets in nexts.items():
            if name not in finishes and targets & finishes:
                finishes.add(name)
                changed = True
    stuck = [s["name"] for s in steps if s["name"] not in finishes]
    if not stuck:
        return []
    loop = " -> ".join(stuck)
    first = min(stuck, key=index.__getitem__)
    return [Problem(first, f"mainSteps[{index[first]}]", f"steps {loop} form a cycle with no exit (no step of it reaches an end)")]


def problems(doc: dict[str, Any]) -> list[Problem]:
    """Every problem of a loaded document, in document order."""
    out: list[Problem] = []
    if doc.get("schemaVersion") != SCHEMA_VERSION:
        out.append(Problem(None, "schemaVersion", f"schemaVersion must be '0.3' (SSM Automation), not {doc.get('schemaVersion')!r}"))
    out += [Problem(None, key, f"unknown document property {key!r}") for key in doc if key not in DOC_PROPERTIES]
    if "description" in doc and not isinstance(doc["description"], str):
        out.append(Problem(None, "description", "description must be text (Markdown)"))
    out += _parameter_problems(doc)
    raw = doc.get("mainSteps")
    if not isinstance(raw, list) or not raw:
        return [*out, Problem(None, "mainSteps", "mainSteps must be a non-empty list of steps")]
    names = {s["name"] for s in raw if isinstance(s, dict) and isinstance(s.get("name"), str)}
    seen: set[str] = set()
    for i, step in enumerate(raw):
        where = f"mainSteps[{i}]"
        if not isinstance(step, dict):
            out.append(Problem(None, where, f"step {i + 1} must be a mapping with a name and an action"))
            continue
        name = step.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            out.append(Problem(None, f"{where}.name", f"step {i + 1} needs a name of letters, digits and _ (1-128), not {name!r}"))
            continue
        if name in seen:
            out.append(Problem(name, f"{where}.name", f"the step name {name!r} is used twice"))
        seen.add(name)
        action = step.get("action")
        if action not in ACTIONS:
            if isinstance(action, str) and action.startswith("aws:"):
                message = f"action {action} is not supported here; use one of {', '.join(ACTIONS)}"
            elif action is None:
                message = "the step has no action"
            else:
                message = f"unknown action {action!r}; use one of {', '.join(ACTIONS)}"
            out.append(Problem(name, f"{where}.action", message))
        else:
            out += _input_problems(step, name, action, where, names)
            out += _output_problems(step, name, action, where)
        out += _property_problems(step, name, where, names)
    if not out:
        steps = steps_of(doc)
        out += _reference_problems(doc, steps)
        out += _cycle_problems(steps)
    return out


def check(doc: dict[str, Any]) -> None:
    """Raise a ValidationException listing every problem (nothing when the document is sound)."""
    found = problems(doc)
    if not found:
        return
    count = f"{len(found)} problems" if len(found) > 1 else "a problem"
    raise ValidationException(
        f"the runbook has {count}: " + "; ".join(p.text() for p in found),
        fields=[{"name": p.field, "message": p.text()} for p in found],
    )
