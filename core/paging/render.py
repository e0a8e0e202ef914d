"""Texts for pages, activation codes and bundles: subject, full body and a one-segment SMS.

The outbox engine renders with these helpers and stores the result in the
:class:`~core.paging.base.OutboundMessage`; providers only transport what they are given.
``short_body`` is kept within one SMS segment (160 GSM-7 characters) whenever the fixed parts
(impact, accept code, acknowledgement link) leave room: the incident title is what gets cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from core.model.incidents import impact_label

SMS_SEGMENT_GSM7 = 160
SMS_SEGMENT_UCS2 = 70
ELLIPSIS = "..."  # "…" is not in GSM-7
MIN_TITLE = 12  # the title keeps at least this many characters even when that means 2 segments

# GSM 03.38 basic character set and the extension table (each extension char costs 2 septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

# Typographic characters people paste into titles, and their GSM-7 spellings.
_GSM7_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": " ",
        "\u2022": "*",
        "`": "'",
    }
)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    short_body: str


def gsm7_length(text: str) -> int | None:
    """Septets ``text`` needs in GSM-7, or None when it needs UCS-2."""
    n = 0
    for ch in text:
        if ch in GSM7_BASIC:
            n += 1
        elif ch in GSM7_EXTENDED:
            n += 2
        else:
            return None
    return n


def sms_length(text: str) -> tuple[int, int]:
    """(units used, units in one segment) for ``text``: GSM-7 septets or UCS-2 code units."""
    n = gsm7_length(text)
    if n is not None:
        return n, SMS_SEGMENT_GSM7
    return len(text.encode("utf-16-le")) // 2, SMS_SEGMENT_UCS2


def fits_one_segment(text: str) -> bool:
    used, limit = sms_length(text)
    return used <= limit


def fold_to_gsm7(text: str) -> str:
    """Replace typographic punctuation with GSM-7 equivalents; other characters are kept."""
    return " ".join(text.translate(_GSM7_FOLD).split())


def _truncate(text: str, budget: int) -> str:
    """Cut ``text`` to ``budget`` SMS units, at a word boundary when one is close, with '...'."""
    used, _ = sms_length(text)
    if used <= budget:
        return text
    keep = max(budget - len(ELLIPSIS), 1)
    out: list[str] = []
    for ch in text:
        if sms_length("".join(out) + ch)[0] > keep:
            break
        out.append(ch)
    cut = "".join(out)
    space = cut.rfind(" ")
    if space >= keep * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


def fit_sms(template: str, title: str) -> str:
    """Fill ``{title}`` in ``template`` so the result fits one segment, shortening the title only."""
    title = fold_to_gsm7(title)
    fixed = template.replace("{title}", "")
    whole = template.replace("{title}", title)
    if fits_one_segment(whole):
        return whole
    used_fixed, _ = sms_length(fixed)
    _, limit = sms_length(whole)  # UCS-2 if the title (or anything) needs it
    budget = max(limit - used_fixed, MIN_TITLE)
    return template.replace("{title}", _truncate(title, budget))


def incident_link(public_url: str | None, incident_arn: str) -> str:
    """Where a paged person opens the incident: its page on the server (``paging.public_url``),
    or, without a server, its ARN (``cockpit`` finds an incident by ARN)."""
    if not public_url:
        return incident_arn
    return f"{public_url.rstrip('/')}/incidents/{quote(incident_arn, safe='')}"


def incident_block(title: str, impact: int, link: str) -> str:
    """The lines an incident's engagement Content ends with: impact, title and link."""
    return f"{impact_label(impact)} incident: {' '.join(title.split())}\n{link}"


def _ack_lines(accept_code: str | None, ack_url: str | None) -> list[str]:
    lines = []
    if ack_url:
        lines.append(f"Acknowledge: {ack_url}")
    if accept_code:
        lines.append(f"Accept code: {accept_code}")
        lines.append("In the cockpit: k on your engagement (Engagements tab), or type :ack and this code.")
    return lines


def render_page_email(
    *,
    title: str,
    impact: int,
    accept_code: str | None = None,
    ack_url: str | None = None,
    incident_arn: str | None = None,
    summary: str | None = None,
    contact_name: str | None = None,
    link: str | None = None,
    message: str | None = None,
) -> RenderedMessage:
    """A page for one incident: ``1 Critical incident: <title>`` with the accept code, the
    incident's link and the engager's ``message`` when there is one."""
    label = impact_label(impact)
    one_line_title = " ".join(title.split()) or "(untitled incident)"
    subject = f"{label} incident: {one_line_title}"
    lines = []
    if contact_name:
        lines.append(f"Hello {contact_name},")
        lines.append("")
    lines += [
        "You are being paged by Incident Cockpit.",
        "",
        f"Incident: {one_line_title}",
        f"Impact:   {label}",
    ]
    if incident_arn:
        lines.append(f"ARN:      {incident_arn}")
    if link and link != incident_arn:
        lines.append(f"Link:     {link}")
    if summary:
        lines += ["", "Summary:", summary.strip()]
    if message:
        lines += ["", "Message:", message.strip()]
    lines += ["", *_ack_lines(accept_code, ack_url)]
    lines += ["", "Acknowledging stops this engagement from paging you again."]
    body = "\n".join(lines).rstrip() + "\n"

    template = f"Cockpit {label}: {{title}}"
    if accept_code:
        template += f"\nCode {accept_code}"
    if ack_url:
        template += f"\n{ack_url}"
    short = fit_sms(template, one_line_title)
    return RenderedMessage(subject=subject, body=body, short_body=short)


def render_activation_email(
    *, activation_code: str, channel_name: str | None = None, contact_alias: str | None = None
) -> RenderedMessage:
    """The activation code for a new contact channel (ssm-contacts ``SendActivationCode``)."""
    subject = "Incident Cockpit activation code"
    lines = ["Incident Cockpit was asked to send pages to this address."]
    if contact_alias:
        lines.append(f"Contact:  {contact_alias}")
    if channel_name:
        lines.append(f"Channel:  {channel_name}")
    lines += [
        "",
        f"Activation code: {activation_code}",
        "",
        "Enter the code in the cockpit (Contacts > Activate channel) to start receiving pages.",
        "If you did not expect this message, ignore it: nothing is sent until the channel is active.",
    ]
    short = f"Your Incident Cockpit activation code is {activation_code}"
    return RenderedMessage(subject=subject, body="\n".join(lines) + "\n", short_body=short)


@dataclass(frozen=True)
class BundledPage:
    """One page a bundle carries: its subject (impact and title), its own accept code and the
    incident's link, so each incident can be acknowledged on its own."""

    subject: str
    accept_code: str | None = None
    link: str | None = None


SMS_BUNDLE_TITLE = 40
"""Characters of each incident's subject in a bundle's SMS (the codes are what must fit)."""


def render_bundle_email(*, pages: Sequence[BundledPage], ack_url: str | None = None) -> RenderedMessage:
    """Pages held back by rate limiting, folded into one: ``3 more incidents paged you``. The
    body lists every incident with its own accept code and link; the SMS lists each code with
    the start of its subject (it may take more than one segment: every code must be there)."""
    count = len(pages)
    noun = "incident" if count == 1 else "incidents"
    subject = f"{count} more {noun} paged you"
    lines = [f"{subject} while pages to this address were rate limited. Each has its own accept code:", ""]
    for n, page in enumerate(pages, 1):
        lines.append(f"{n}. {' '.join(page.subject.split())}")
        if page.accept_code:
            lines.append(f"   Accept code: {page.accept_code}")
        if page.link:
            lines.append(f"   Link: {page.link}")
    lines += ["", "Acknowledge each with its code (:ack CODE in the cockpit), or in the cockpit's Engagements tab."]
    if ack_url:
        lines.append(f"Acknowledge: {ack_url}")
    body = "\n".join(lines) + "\n"
    entries = [(f"{p.accept_code} " if p.accept_code else "") + _truncate(fold_to_gsm7(p.subject), SMS_BUNDLE_TITLE)
               for p in pages]
    short = f"Cockpit: {subject}. " + "; ".join(entries) + (f"\n{ack_url}" if ack_url else "")
    return RenderedMessage(subject=subject, body=body, short_body=short)
