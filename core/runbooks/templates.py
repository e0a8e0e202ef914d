"""Runbook templates shipped with the cockpit; CreateRunbook's ``fromTemplate`` clones one."""

from __future__ import annotations

CRITICAL_INCIDENT = """\
schemaVersion: '0.3'
description: |
  A checklist for a critical incident, one manual step per stage of the response.
  Choose Next step (n) when a stage is done; the timeline records each one.
parameters:
  IncidentRecordArn:
    type: String
    default: ''
    description: The incident this runbook belongs to (filled in when a response plan starts it).
mainSteps:
  - name: Triage
    action: aws:pause
    description: |
      **Size it up.** What is broken, for whom, and since when? Check the impact rating
      against what customers see, and correct it if it is wrong. Note the first symptoms
      in the timeline.
  - name: Engage
    action: aws:pause
    description: |
      **Get the right people.** Page the owning team's on-call, name one incident lead and
      one scribe, and open the chat channel. Engage more contacts if the blast radius grows.
  - name: Diagnose
    action: aws:pause
    description: |
      **Find the cause, or at least the lever.** Look at what changed recently (deploys,
      configuration, traffic, dependencies). Write each hypothesis and its result in the
      timeline, so people who join late can catch up.
  - name: Mitigate
    action: aws:pause
    description: |
      **Stop the bleeding first.** Roll back, fail over, shed load or switch the feature off.
      A full fix can wait; reducing the impact cannot.
  - name: Communicate
    action: aws:pause
    description: |
      **Say where things stand.** Update the status page and the stakeholders: what is
      affected, what is being done, and when the next update comes. Keep a steady rhythm.
  - name: Recover
    action: aws:pause
    description: |
      **Come back to normal.** Confirm the service is healthy from the customers' side,
      undo temporary measures on purpose, and drain any backlog the incident left.
  - name: Resolve
    action: aws:pause
    description: |
      **Close it.** Resolve the incident once the impact is over and nothing is left
      running by hand. Thank the people who helped.
  - name: ScheduleAnalysis
    action: aws:pause
    description: |
      **Learn from it.** Book the post-incident analysis within a few working days, while
      memories are fresh, and invite everyone who took part.
    isEnd: true
"""

TEMPLATES: dict[str, str] = {"critical-incident": CRITICAL_INCIDENT}
