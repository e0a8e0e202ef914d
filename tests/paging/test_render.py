from __future__ import annotations

import pytest

from core.paging.render import (
    BundledPage,
    fit_sms,
    fits_one_segment,
    fold_to_gsm7,
    gsm7_length,
    render_activation_email,
    render_bundle_email,
    render_page_email,
    sms_length,
)

ACK = "https://cockpit.example.com/ack/0123456789abcdef"
LONG = (
    "Primary database in eu-west-1 refuses connections after failover; every write from the "
    "checkout, billing and inventory services is failing with timeouts"
)


@pytest.mark.parametrize(
    ("impact", "word"), [(1, "Critical"), (2, "High"), (3, "Medium"), (4, "Low"), (5, "No impact")]
)
def test_page_subject_and_body_name_the_impact(impact, word):
    text = render_page_email(title="API down", impact=impact, accept_code="123456", ack_url=ACK)
    assert text.subject == f"{impact} {word} incident: API down"
    assert f"Impact:   {impact} {word}" in text.body
    assert "Accept code: 123456" in text.body
    assert f"Acknowledge: {ACK}" in text.body
    assert text.short_body == f"Cockpit {impact} {word}: API down\nCode 123456\n{ACK}"


def test_long_title_is_cut_at_a_word_so_the_sms_fits_one_segment():
    text = render_page_email(title=LONG, impact=1, accept_code="482913", ack_url=ACK)
    assert fits_one_segment(text.short_body)
    assert text.short_body.startswith("Cockpit 1 Critical: Primary database in eu-west-1")
    first_line = text.short_body.split("\n")[0]
    assert first_line.endswith("...")
    assert first_line[:-3].rstrip() == first_line[:-3]  # cut at a word, no dangling space
    assert LONG.startswith(first_line.removeprefix("Cockpit 1 Critical: ")[:-3])
    assert text.short_body.endswith(f"Code 482913\n{ACK}")
    assert LONG in text.subject and LONG in text.body  # only the SMS is shortened


def test_typographic_punctuation_is_folded_so_gsm7_still_applies():
    text = render_page_email(
        title="“Login” fails — users can’t sign in…", impact=2, accept_code="1"
    )
    assert gsm7_length(text.short_body) is not None
    assert '"Login" fails - users can\'t sign in...' in text.short_body


def test_non_gsm_titles_fit_a_ucs2_segment():
    title = "決済サービスで障害が発生しています。" * 6
    text = render_page_email(title=title, impact=1, accept_code="654321")
    used, limit = sms_length(text.short_body)
    assert limit == 70 and used <= 70
    assert text.short_body.endswith("Code 654321")


def test_gsm7_lengths():
    assert gsm7_length("abc") == 3
    assert gsm7_length("a€[") == 5  # extension characters cost two septets
    assert gsm7_length("é") == 1
    assert gsm7_length("emoji 🚨") is None
    assert fits_one_segment("x" * 160) and not fits_one_segment("x" * 161)
    assert not fits_one_segment("[" * 81)
    assert fold_to_gsm7("a\u00a0 b\tc") == "a b c"


def test_fixed_parts_too_long_keep_a_readable_title():
    long_url = "https://cockpit.example.com/ack/" + "a" * 150
    short = fit_sms(f"Cockpit 1 Critical: {{title}}\n{long_url}", LONG)
    title = short.split("\n")[0].removeprefix("Cockpit 1 Critical: ")
    assert title == "Primary..."  # the MIN_TITLE budget, cut at a word
    assert short.endswith(long_url)  # multi-segment: unavoidable, nothing fixed is dropped


def test_activation_message():
    text = render_activation_email(activation_code="309148", channel_name="Alice SMS")
    assert text.subject == "Incident Cockpit activation code"
    assert "Activation code: 309148" in text.body
    assert "Alice SMS" in text.body
    assert text.short_body == "Your Incident Cockpit activation code is 309148"


def test_bundle_message():
    pages = [BundledPage(f"1 Critical incident: {LONG}", "123456", "https://c.example/incidents/a"),
             BundledPage("3 Medium incident: Queue backlog", "654321", "https://c.example/incidents/b"),
             BundledPage("4 Low incident: Disk", None, None)]
    text = render_bundle_email(pages=pages, ack_url=ACK)
    assert text.subject == "3 more incidents paged you"
    assert f"1. 1 Critical incident: {LONG}\n   Accept code: 123456\n   Link: https://c.example/incidents/a" in text.body
    assert "2. 3 Medium incident: Queue backlog\n   Accept code: 654321\n   Link: https://c.example/incidents/b" in text.body
    assert "3. 4 Low incident: Disk\n\n" in text.body
    assert text.short_body.startswith("Cockpit: 3 more incidents paged you. 123456 1 Critical incident:")
    assert "; 654321 3 Medium incident:" in text.short_body and text.short_body.endswith(ACK)
    one = render_bundle_email(pages=pages[2:])
    assert one.subject == "1 more incident paged you"
    assert one.short_body == "Cockpit: 1 more incident paged you. 4 Low incident: Disk"


def test_the_page_says_how_to_acknowledge_in_the_cockpit():
    """`k` acknowledges one's own engagement with no code; the code is for `:ack` (and for a
    phone): the page no longer says the Engagements tab takes the code."""
    text = render_page_email(title="API down", impact=2, accept_code="123456", ack_url=ACK)
    assert "Accept code: 123456" in text.body
    assert "k on your engagement" in text.body and ":ack" in text.body
    assert "(Engagements) with this code" not in text.body
