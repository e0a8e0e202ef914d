"""cockpit:httpRequest: one request through httpx. The result holds ``StatusCode``, ``Body``
(text), ``Headers`` and ``Json`` (the body parsed, when it is JSON), for outputs to select
from; a status of 400 or more fails the step."""

from __future__ import annotations

import json
from typing import Any

from core.runbooks.results import StepFailed

BODY_CAP = 256 * 1024


async def http_request(inputs: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    import httpx  # here, not at the top: httpx loads click and rich (~0.1 s at every core start)

    method = str(inputs.get("Method", "GET")).upper()
    body = inputs.get("Body")
    content = None if body is None else body.encode() if isinstance(body, str) else json.dumps(body).encode()
    headers = {str(k): str(v) for k, v in (inputs.get("Headers") or {}).items()}
    if content is not None and not isinstance(body, str):
        headers.setdefault("Content-Type", "application/json")
    try:
        async with httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as http:
            response = await http.request(method, str(inputs["Url"]), content=content, headers=headers)
    except httpx.HTTPError as exc:
        raise StepFailed(f"{method} {inputs['Url']} failed: {type(exc).__name__}: {exc}") from None
    text = response.text[:BODY_CAP]
    try:
        parsed = response.json()
    except ValueError:
        parsed = None
    if response.status_code >= 400:
        raise StepFailed(f"{method} {inputs['Url']} answered {response.status_code}: {text[:300]}")
    return {"StatusCode": response.status_code, "Body": text, "Headers": dict(response.headers), "Json": parsed}
