#!/usr/bin/env python3
"""Generate synthetic OKR repositories for okr's benchmarks (bench/run, docs/performance.md).

Two modes:

  History repository (a git repository built with `git fast-import`):
    generate.py --seed 1 --teams 25 --quarters 8 --commits 5000 --out DIR

    COMMITS commits touch okrs/ (1-3 files each): team files created during planning, progress, confidence
    and target changes, objectives and key results added, dropped (status: dropped) and removed, rewordings,
    and about one commit in 400 renames a team file within its quarter folder (`team:` unchanged). On top
    of those, COMMITS/20 commits touch only docs/, and one root commit adds okr.toml, README.md and docs/.
    Each quarter's commits are spread over its three months, starting two weeks before the quarter
    (planning); dates increase from commit to commit. Authors come from a small pool; some commits carry a
    `Reason:` trailer. Every revision of every file is valid OKR YAML (docs/format.md).

  Validate tree (plain files, no git):
    generate.py --seed 1 --validate-files 10000 --out DIR

    Writes okr.toml and 10,000 valid files: 40 quarters x 250 teams (or --quarters/--teams when given and
    their product is the count).

Deterministic: the same arguments give byte-identical output, and so the same commit ids.
`--stream` writes the fast-import stream to stdout instead of building a repository.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import re
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone

# ---------------------------------------------------------------------------------------------------------
# Vocabulary

BASE_TEAMS = [
    "company", "platform", "payments", "search", "mobile", "web", "data", "infra", "security", "growth",
    "billing", "identity", "messaging", "analytics", "ml", "devex", "support", "sales-eng", "design", "docs",
    "api", "storage", "network", "reliability", "onboarding",
]

PEOPLE = [
    "Dana Li", "Sam Okafor", "Priya Raman", "Marcus Chen", "Amara Okafor", "Sofia Alvarez", "Kenji Watanabe",
    "Lena Fischer", "Tom Becker", "Mei Tanaka", "Jonas Berg", "Aisha Khan", "Lucas Moreau", "Nora Lindqvist",
    "Ravi Patel", "Elena Rossi", "Omar Haddad", "Hannah Weber", "Diego Ortiz", "Yuki Sato", "Fatima Zahra",
    "Ben Carter", "Ines Duarte", "Pavel Novak", "Grace Kim", "Tariq Aziz", "Chloe Martin", "Ivan Petrov",
]

# (name, email, timezone) of the people who commit.
AUTHORS = [
    ("Dana Li", "dana.li@example.com", "+0200"),
    ("Sam Okafor", "sam.okafor@example.com", "+0100"),
    ("Priya Raman", "priya.raman@example.com", "+0530"),
    ("Marcus Chen", "marcus.chen@example.com", "-0700"),
    ("Sofia Alvarez", "sofia.alvarez@example.com", "-0500"),
    ("Kenji Watanabe", "kenji.watanabe@example.com", "+0900"),
    ("Lena Fischer", "lena.fischer@example.com", "+0200"),
    ("Tom Becker", "tom.becker@example.com", "+0000"),
]

COMPANY_OBJECTIVES = [
    ("customer-trust", "Customers trust us with their critical data"),
    ("faster-delivery", "Ship customer-visible improvements every week"),
    ("efficient-growth", "Grow revenue efficiently"),
    ("find-anything", "Customers find what they need in seconds"),
    ("mobile-first", "The mobile app is a first-class way to work"),
    ("enterprise-ready", "Enterprise customers can adopt us without exceptions"),
    ("lower-costs", "Serve more customers for the same infrastructure spend"),
    ("global-reach", "Customers outside Europe get the same experience"),
]

TEAM_OBJECTIVES = [
    ("boring-deploys", "Make deploys boring"),
    ("self-service", "Engineers get what they need without filing a ticket"),
    ("fast-pages", "Every page feels instant"),
    ("reliable-payments", "Payments just work, everywhere"),
    ("secure-by-default", "Secure by default, without slowing teams down"),
    ("happy-oncall", "On-call is sustainable"),
    ("great-onboarding", "New customers succeed in their first week"),
    ("trusted-data", "Everyone trusts the numbers on the dashboards"),
    ("quality-first", "Fewer bugs reach customers"),
    ("delightful-support", "Support answers fast and right the first time"),
    ("developer-platform", "Partners build on our public API"),
    ("accessible-product", "Everyone can use the product, whatever their abilities"),
    ("smart-recommendations", "Recommendations people actually click"),
    ("clean-architecture", "Retire the riskiest parts of the legacy monolith"),
    ("hiring-engine", "Hire and onboard engineers in weeks, not months"),
    ("pass-audits", "Pass every audit without a fire drill"),
    ("cheaper-storage", "Keep storage costs flat while data doubles"),
    ("fast-ci", "Engineers get CI feedback before their coffee is done"),
    ("rock-solid-app", "The app never gets in the way"),
    ("frictionless-signup", "Signing up takes a minute, not a meeting"),
    ("observable-systems", "Every incident is understood within minutes"),
    ("self-serve-analytics", "Product teams answer their own data questions"),
]

# (id, title, unit, start, target, decimals)
METRIC_KRS = [
    ("p99-latency", "p99 latency of the main API", "ms", 450, 200, 0),
    ("failed-deploys", "Failed deploys per week", "deploys/week", 12, 2, 0),
    ("deploy-lead-time", "Median time from merge to production", "min", 90, 30, 0),
    ("availability", "Monthly availability of the public API", "%", 99.5, 99.9, 2),
    ("sev1-incidents", "Sev-1 incidents this quarter", "incidents", 6, 2, 0),
    ("weekly-active", "Weekly active users", "users", 18000, 30000, 0),
    ("conversion-rate", "Trial to paid conversion", "%", 4.2, 6, 1),
    ("logo-churn", "Monthly logo churn", "%", 2.4, 1.5, 1),
    ("nps", "Net promoter score", "points", 31, 45, 0),
    ("support-tickets", "Support tickets per thousand users", "tickets", 14, 8, 1),
    ("build-time", "Median CI build time", "min", 22, 10, 0),
    ("flaky-runs", "Share of CI runs with a flaky failure", "%", 9, 2, 1),
    ("cost-per-request", "Infrastructure cost per million requests", "USD", 4.8, 3.5, 2),
    ("time-to-first-project", "Days from signup to first project", "days", 6, 2, 1),
    ("search-success", "Searches that end in a click within 10 seconds", "%", 61, 80, 0),
    ("crash-free", "Crash-free sessions", "%", 98.1, 99.5, 1),
    ("cold-start", "Cold start time on a mid-range phone", "s", 3.4, 1.5, 1),
    ("activation", "Accounts active in their first week", "%", 38, 55, 0),
    ("revenue-retention", "Net revenue retention", "%", 104, 110, 0),
    ("page-load", "Largest contentful paint, 75th percentile", "s", 3.1, 2, 1),
    ("out-of-hours-pages", "Out-of-hours pages per week", "pages", 11, 3, 0),
    ("runbook-coverage", "Services with an owner and a runbook", "%", 55, 95, 0),
    ("vuln-age", "Median age of open critical vulnerabilities", "days", 40, 7, 0),
    ("docs-coverage", "Public API endpoints with reference docs", "%", 60, 100, 0),
    ("warehouse-spend", "Warehouse spend per month", "kUSD", 85, 60, 0),
    ("recommendation-accuracy", "Top-3 recommendation accuracy", "%", 71, 80, 1),
    ("first-response", "Median first response time on tickets", "h", 9, 2, 1),
    ("dashboard-freshness", "Data freshness of the main dashboards", "h", 24, 2, 0),
    ("signup-completion", "Signup completion rate", "%", 63, 75, 0),
    ("error-budget", "Error budget consumed per month", "%", 140, 80, 0),
    ("storage-cost", "Storage cost per active customer", "USD", 1.9, 1.2, 2),
    ("release-weeks", "Weeks with at least one customer-visible release", "weeks", 6, 12, 0),
    ("payment-success", "First-attempt card payment success", "%", 91.5, 95, 1),
    ("mttr", "Mean time to restore after an incident", "min", 95, 30, 0),
    ("a11y-issues", "Open accessibility issues rated serious", "issues", 48, 10, 0),
    ("time-to-hire", "Median days from opening to signed offer", "days", 62, 35, 0),
]

# (id, title)
MILESTONE_KRS = [
    ("rollback-runbook", "Every service has a tested rollback runbook"),
    ("soc2-report", "SOC 2 Type II report issued by the auditors"),
    ("status-page", "Public status page with per-region component status"),
    ("sso-launch", "SAML single sign-on available to all enterprise customers"),
    ("second-region", "Second region serving production traffic"),
    ("pricing-page", "New pricing page live"),
    ("design-system-v2", "Design system v2 adopted by every web surface"),
    ("api-v2", "Public API v2 generally available"),
    ("data-contracts", "Data contracts in place for the top ten tables"),
    ("postmortem-template", "Blameless postmortem template adopted by all teams"),
    ("dr-drill", "Disaster recovery drill completed"),
    ("offline-mode", "Offline mode shipped on iOS and Android"),
    ("audit-log-export", "Audit log export available to admins"),
    ("gdpr-export", "Self-service data export for GDPR requests"),
    ("oncall-handbook", "On-call handbook published"),
    ("cluster-upgrade", "All clusters on a supported Kubernetes version"),
]

NOTES = [
    "Deploy pain is the top complaint in the developer survey.",
    "Two large customers named this as their main renewal risk last quarter.",
    "Baseline measured over the last four weeks of the previous quarter.",
    "Shared with the support team; they own the weekly numbers.",
    "The dashboard for this lives in the team's analytics folder.",
    "Depends on the platform team's build cache work landing in week 4.",
    "Re-evaluate at mid-quarter if the vendor contract is not renewed.",
    "Lazy-loading the editor saved a second. The remaining time is mostly the sync engine, which the team "
    "will tackle next quarter.",
    "Measured weekly by the on-call rotation and posted in the team channel every Monday.",
    "Counts only customer-facing services; internal tools are tracked separately.",
]

REASONS = [
    "Vendor contract now covers managed databases",
    "The incident review showed the old target needs multi-region failover",
    "Customer interviews pointed to onboarding, not pricing",
    "Headcount moved to the enterprise launch",
    "Baseline was measured wrong; corrected after the data audit",
    "Leadership reprioritised after the board meeting",
    "The dependency on the billing migration slipped to next quarter",
    "Early results were much better than planned, so the target was raised",
    "Two engineers left the team mid-quarter",
    "Legal asked us to pause until the new contract terms are signed",
]

TITLE_SUFFIXES = [" this quarter", " for every customer", " by the end of the quarter"]
RENAME_SUFFIXES = ["okrs", "team", "goals", "plan"]

DOC_FILES = ["docs/planning.md", "docs/check-ins.md", "docs/glossary.md", "docs/retro.md"]
DOC_LINES = [
    "Check in on your key results every week, even when nothing moved.",
    "Write the reason for a changed target in the commit or in the notes.",
    "Drop an objective instead of deleting it, and say why.",
    "Confidence is a number from 0 to 1, not a traffic light.",
    "Aligned objectives name the company objective they support.",
    "Planning starts two weeks before the quarter.",
    "Scores are graded at the end of the quarter, in the retro.",
    "Milestones are done or not done; there is no half.",
]

# ---------------------------------------------------------------------------------------------------------
# YAML rendering

_NEEDS_QUOTES = re.compile(
    r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: |\s#|:$|\s$|^(true|false|null|yes|no|on|off|~|[-+.0-9].*)$""",
    re.IGNORECASE,
)


def ystr(text: str) -> str:
    """A YAML scalar for `text` that reads back as that string (JSON double quotes are valid YAML)."""
    if _NEEDS_QUOTES.search(text):
        return json.dumps(text)
    return text


def ynum(value: float, decimals: int) -> str:
    if decimals == 0:
        return str(int(round(value)))
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def folded(indent: str, key: str, text: str) -> list[str]:
    """`key: text`, or a folded block scalar when the line would be long."""
    if len(indent) + len(key) + 2 + len(text) <= 100:
        return [f"{indent}{key}: {ystr(text)}"]
    body = textwrap.wrap(text, width=100 - len(indent) - 2)
    return [f"{indent}{key}: >-"] + [f"{indent}  {line}" for line in body]


class KR:
    __slots__ = ("id", "title", "metric", "start", "target", "current", "unit", "decimals", "done",
                 "confidence", "owner", "notes")

    def render(self, out: list[str]) -> None:
        out.append(f"      - id: {self.id}")
        out.append(f"        title: {ystr(self.title)}")
        if self.metric:
            out.append(f"        start: {ynum(self.start, self.decimals)}")
            out.append(f"        target: {ynum(self.target, self.decimals)}")
            if self.current is not None:
                out.append(f"        current: {ynum(self.current, self.decimals)}")
            out.append(f"        unit: {ystr(self.unit)}")
        else:
            out.append(f"        done: {'true' if self.done else 'false'}")
        if self.confidence is not None:
            out.append(f"        confidence: {ynum(self.confidence, 1)}")
        if self.owner:
            out.append(f"        owner: {ystr(self.owner)}")
        if self.notes:
            out.extend(folded("        ", "notes", self.notes))


class Objective:
    __slots__ = ("id", "title", "type", "owner", "aligns_to", "status", "dropped", "notes", "krs")

    def render(self, out: list[str]) -> None:
        out.append(f"  - id: {self.id}")
        out.append(f"    title: {ystr(self.title)}")
        if self.type:
            out.append(f"    type: {self.type}")
        if self.owner:
            out.append(f"    owner: {ystr(self.owner)}")
        if self.aligns_to:
            out.append(f"    aligns_to: {self.aligns_to}")
        if self.status:
            out.append(f"    status: {self.status}")
        if self.dropped:
            out.append("    dropped:")
            out.append(f"      date: {self.dropped[0]}")
            out.append(f"      reason: {ystr(self.dropped[1])}")
        if self.notes:
            out.extend(folded("    ", "notes", self.notes))
        out.append("    key_results:")
        for kr in self.krs:
            kr.render(out)


class OkrFile:
    __slots__ = ("quarter", "team", "owner", "objectives")

    def render(self) -> bytes:
        out = [
            "# yaml-language-server: $schema=../okr.schema.json",
            f"quarter: {self.quarter}",
            f"team: {self.team}",
        ]
        if self.owner:
            out.append(f"owner: {ystr(self.owner)}")
        if not self.objectives:
            out.append("objectives: []")
        else:
            out.append("objectives:")
            for i, objective in enumerate(self.objectives):
                if i:
                    out.append("")
                objective.render(out)
        return ("\n".join(out) + "\n").encode()


# ---------------------------------------------------------------------------------------------------------
# Content generation and changes


class Content:
    """Makes and changes OKR files with one random generator, so everything follows from the seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def new_kr(self, taken: set[str]) -> KR:
        rng = self.rng
        kr = KR()
        kr.owner = rng.choice(PEOPLE) if rng.random() < 0.2 else None
        kr.notes = rng.choice(NOTES) if rng.random() < 0.08 else None
        if rng.random() < 0.72:
            choices = [m for m in METRIC_KRS if m[0] not in taken]
            ident, title, unit, start, target, decimals = rng.choice(choices)
            span = target - start
            jitter = span * rng.uniform(-0.15, 0.15)
            kr.metric = True
            kr.id, kr.title, kr.unit, kr.decimals = ident, title, unit, decimals
            kr.start = round(start + jitter * rng.random(), decimals)
            kr.target = round(target + jitter, decimals)
            if kr.start == kr.target:
                kr.target = round(kr.start + (span or 1), decimals)
            kr.current = kr.start if rng.random() < 0.5 else None
            kr.done = None
        else:
            choices = [m for m in MILESTONE_KRS if m[0] not in taken]
            kr.id, kr.title = rng.choice(choices)
            kr.metric, kr.done = False, False
            kr.start = kr.target = kr.current = kr.unit = None
            kr.decimals = 0
        kr.confidence = round(rng.uniform(0.3, 0.9), 1) if rng.random() < 0.8 else None
        return kr

    def new_objective(self, okr: OkrFile, company: OkrFile | None) -> Objective:
        rng = self.rng
        taken = {o.id for o in okr.objectives}
        kr_ids = {k.id for o in okr.objectives for k in o.krs}
        pool = COMPANY_OBJECTIVES if okr.team == "company" else TEAM_OBJECTIVES
        o = Objective()
        o.id, o.title = rng.choice([t for t in pool if t[0] not in taken])
        o.type = rng.choice(["committed", "aspirational", None])
        o.owner = rng.choice(PEOPLE) if rng.random() < 0.6 else None
        o.aligns_to = None
        if company is not None and company.objectives and rng.random() < 0.7:
            o.aligns_to = "company/" + rng.choice(company.objectives).id
        o.status, o.dropped = None, None
        o.notes = rng.choice(NOTES) if rng.random() < 0.15 else None
        o.krs = []
        for _ in range(rng.choice([2, 3, 3, 3, 4])):
            o.krs.append(self.new_kr(kr_ids))
            kr_ids.add(o.krs[-1].id)
        return o

    def new_file(self, quarter: str, team: str, company: OkrFile | None) -> OkrFile:
        rng = self.rng
        okr = OkrFile()
        okr.quarter, okr.team = quarter, team
        okr.owner = rng.choice(PEOPLE)
        okr.objectives = []
        for _ in range(rng.choice([3, 3, 3, 4]) if team != "company" else 4):
            okr.objectives.append(self.new_objective(okr, company))
        return okr

    def change(self, okr: OkrFile, company: OkrFile | None, day: str) -> tuple[str, str | None]:
        """Applies one random change; returns (what happened, a reason or None). The file text changes."""
        rng = self.rng
        before = okr.render()
        for _ in range(50):
            summary, reason = self._try_change(okr, company, day)
            if summary and okr.render() != before:
                return summary, reason
        raise RuntimeError(f"could not change {okr.quarter}/{okr.team}")

    def _try_change(self, okr: OkrFile, company: OkrFile | None, day: str) -> tuple[str | None, str | None]:
        rng = self.rng
        active = [o for o in okr.objectives if o.status != "dropped"]
        roll = rng.random()
        if not active:
            roll = 0.70  # only "add an objective" makes sense
        if roll < 0.36:
            metrics = [k for o in active for k in o.krs if k.metric]
            if not metrics:
                return None, None
            kr = rng.choice(metrics)
            base = kr.current if kr.current is not None else kr.start
            frac = (base - kr.start) / (kr.target - kr.start)
            frac = min(1.3, max(-0.2, frac + rng.uniform(-0.05, 0.2)))
            kr.current = round(kr.start + frac * (kr.target - kr.start), kr.decimals)
            return f"progress on {kr.id}", None
        if roll < 0.50:
            krs = [k for o in active for k in o.krs]
            kr = rng.choice(krs)
            kr.confidence = round(rng.choice([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]), 1)
            return f"confidence of {kr.id}", None
        if roll < 0.55:
            milestones = [k for o in active for k in o.krs if not k.metric and not k.done]
            if not milestones:
                return None, None
            kr = rng.choice(milestones)
            kr.done = True
            return f"{kr.id} done", None
        if roll < 0.66:
            metrics = [k for o in active for k in o.krs if k.metric]
            if not metrics:
                return None, None
            kr = rng.choice(metrics)
            old = kr.target
            step = abs(kr.target - kr.start) * rng.uniform(0.1, 0.3) * rng.choice([-1, 1])
            new = round(kr.target + step, kr.decimals)
            # Keep the direction (higher or lower is better) and keep counts, rates and costs non-negative.
            if new == kr.start or new == old or (new > kr.start) != (old > kr.start) or (new < 0 <= kr.start):
                return None, None
            kr.target = new
            reason = rng.choice(REASONS)
            if rng.random() < 0.4:
                kr.notes = (f"Target moved from {ynum(old, kr.decimals)} to {ynum(new, kr.decimals)} on {day}: "
                            f"{reason[0].lower()}{reason[1:]}.")
            return f"target of {kr.id} to {ynum(new, kr.decimals)}", reason
        if roll < 0.70:
            o = rng.choice(active)
            if len(o.krs) >= 5:
                return None, None
            o.krs.append(self.new_kr({k.id for x in okr.objectives for k in x.krs}))
            return f"add key result {o.krs[-1].id}", None
        if roll < 0.74:
            if len(okr.objectives) >= 5:
                return None, None
            okr.objectives.append(self.new_objective(okr, company))
            return f"add objective {okr.objectives[-1].id}", None
        if roll < 0.78:
            o = rng.choice(active)
            if len(o.krs) <= 2:
                return None, None
            kr = o.krs.pop(rng.randrange(len(o.krs)))
            return f"drop key result {kr.id}", rng.choice(REASONS) if rng.random() < 0.5 else None
        if roll < 0.82:
            if len(active) <= 2:
                return None, None
            o = rng.choice(active)
            reason = rng.choice(REASONS)
            o.status, o.dropped = "dropped", (day, reason)
            return f"drop objective {o.id}", reason
        if roll < 0.835:
            # Deleting an objective outright (history reports objective_removed). Company objectives are
            # never deleted: other teams align to them.
            if okr.team == "company" or len(okr.objectives) <= 2:
                return None, None
            o = okr.objectives.pop(rng.randrange(len(okr.objectives)))
            return f"remove objective {o.id}", None
        if roll < 0.85:
            if len(active) <= 2:
                return None, None
            o = rng.choice(active)
            o.status = "done"
            return f"{o.id} done", None
        if roll < 0.92:
            target = rng.choice(active) if rng.random() < 0.4 else rng.choice(rng.choice(active).krs)
            for suffix in TITLE_SUFFIXES:
                if target.title.endswith(suffix):
                    target.title = target.title[: -len(suffix)]
                    break
            else:
                target.title += rng.choice(TITLE_SUFFIXES)
            return f"reword {target.id}", None
        target = rng.choice(active) if rng.random() < 0.3 else rng.choice(rng.choice(active).krs)
        note = rng.choice(NOTES)
        target.notes = None if target.notes == note else note
        return f"notes on {target.id}", None


# ---------------------------------------------------------------------------------------------------------
# Quarters and time


def quarter_name(start_year: int, index: int) -> str:
    return f"{start_year + index // 4}-Q{index % 4 + 1}"


def quarter_bounds(name: str) -> tuple[int, int]:
    year, q = int(name[:4]), int(name[-1])
    start = calendar.timegm(date(year, 3 * (q - 1) + 1, 1).timetuple())
    end_year, end_month = (year, 3 * q + 1) if q < 4 else (year + 1, 1)
    end = calendar.timegm(date(end_year, end_month, 1).timetuple())
    return start, end


def day_of(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


# ---------------------------------------------------------------------------------------------------------
# The history repository


class Stream:
    def __init__(self, sink):
        self.sink = sink
        self.commits = 0

    def commit(self, author: tuple[str, str, str], ts: int, message: str, ops: list[tuple]) -> None:
        name, email, tz = author
        w = self.sink.write
        msg = message.encode()
        w(b"commit refs/heads/main\n")
        ident = f"{name} <{email}> {ts} {tz}\n".encode()
        w(b"author " + ident)
        w(b"committer " + ident)
        w(b"data %d\n" % len(msg) + msg + b"\n")
        for op in ops:
            if op[0] == "M":
                data = op[2]
                w(f"M 100644 inline {op[1]}\n".encode())
                w(b"data %d\n" % len(data) + data + b"\n")
            elif op[0] == "R":
                w(f"R {op[1]} {op[2]}\n".encode())
            else:
                raise ValueError(op)
        w(b"\n")
        self.commits += 1


def message_for(subject: str, rng: random.Random, reason: str | None, body: str | None = None) -> str:
    parts = [subject] if body is None else [subject, body]
    if rng.random() < 0.25:
        parts.append(rng.choice([
            "Numbers from this week's dashboard.",
            "Agreed in the Monday check-in.",
            "Follow-up from the planning review.",
            "See the team notes for details.",
        ]))
    if reason is not None and rng.random() < 0.6:
        parts.append(f"Reason: {reason}")
    elif reason is None and rng.random() < 0.05:
        parts.append(f"Reason: {rng.choice(REASONS)}")
    return "\n\n".join(parts) + "\n"


def generate_history(args, sink) -> Stream:
    rng = random.Random(args.seed)
    content = Content(rng)
    stream = Stream(sink)
    teams = team_names(args.teams)
    quarters = [quarter_name(args.start_year, i) for i in range(args.quarters)]

    # Schedule: per quarter, its share of the okrs/ commits, spread from two weeks before the quarter to its
    # end; some of them (after the planning part) are renames. Docs-only commits are spread over everything.
    events = []  # (ts, order, kind, quarter)
    per_quarter = [args.commits // args.quarters + (1 if i < args.commits % args.quarters else 0)
                   for i in range(args.quarters)]
    renames_left = args.commits // 400
    rename_quarters = [rng.randrange(args.quarters) for _ in range(renames_left)]
    for qi, quarter in enumerate(quarters):
        start, end = quarter_bounds(quarter)
        n = per_quarter[qi]
        times = sorted(rng.randrange(start - 14 * 86400, end) for _ in range(n))
        renames = set(rng.sample(range(int(n * 0.4), n), min(rename_quarters.count(qi), n - int(n * 0.4))))
        for i, ts in enumerate(times):
            events.append((ts, len(events), "rename" if i in renames else "edit", quarter))
    first = quarter_bounds(quarters[0])[0] - 14 * 86400
    last = quarter_bounds(quarters[-1])[1]
    for _ in range(args.commits // 20):
        events.append((rng.randrange(first, last), len(events), "docs", None))
    events.sort()

    # Root commit: configuration and docs, a day before the first planning commit.
    docs = {path: [f"# {os.path.basename(path)[:-3].replace('-', ' ').title()}", ""] + rng.sample(DOC_LINES, 3)
            for path in DOC_FILES}
    readme = (b"# OKRs\n\nOur OKRs, one file per team per quarter under okrs/<quarter>/<team>.yaml.\n"
              b"Run `okr validate` before you push.\n")
    ops = [("M", "okr.toml", b'dir = "okrs"\n'), ("M", "README.md", readme)]
    ops += [("M", p, ("\n".join(lines) + "\n").encode()) for p, lines in docs.items()]
    prev_ts = first - 86400
    stream.commit(AUTHORS[0], prev_ts, "Start keeping OKRs in git\n", ops)

    files: dict[str, dict[str, OkrFile]] = {q: {} for q in quarters}  # quarter -> team -> state
    paths: dict[tuple[str, str], str] = {}  # (quarter, team) -> current path
    for ts, _, kind, quarter in events:
        ts = max(ts, prev_ts + 1)
        prev_ts = ts
        author = rng.choice(AUTHORS)
        day = day_of(ts)
        if kind == "docs":
            path = rng.choice(DOC_FILES)
            lines = docs[path]
            lines.append(rng.choice(DOC_LINES))
            if len(lines) > 30:
                del lines[2:3]
            stream.commit(author, ts, message_for(f"docs: update {os.path.basename(path)}", rng, None),
                          [("M", path, ("\n".join(lines) + "\n").encode())])
            continue
        existing = files[quarter]
        company = existing.get("company")
        missing = [t for t in teams if t not in existing]
        if kind == "rename" and existing:
            team = rng.choice(sorted(existing))
            old = paths[(quarter, team)]
            used = set(paths.values())
            choices = [f"okrs/{quarter}/{team}-{s}.yaml" for s in RENAME_SUFFIXES]
            choices = [c for c in choices if c != old and c not in used]
            if not choices:
                choices = [f"okrs/{quarter}/{team}.yaml"]
            new = rng.choice(choices)
            paths[(quarter, team)] = new
            stream.commit(author, ts, message_for(f"Rename {old} to {os.path.basename(new)}", rng, None),
                          [("R", old, new)])
            continue
        if missing:
            # Planning: create 1-3 team files; the company file comes first so alignments resolve.
            take = 1 if not existing else min(len(missing), rng.choice([1, 2, 2, 3]))
            created = missing[:take]
            ops = []
            for team in created:
                okr = content.new_file(quarter, team, existing.get("company"))
                existing[team] = okr
                path = f"okrs/{quarter}/{team}.yaml"
                paths[(quarter, team)] = path
                ops.append(("M", path, okr.render()))
            subject = f"Draft {quarter} OKRs for {', '.join(created)}"
            stream.commit(author, ts, message_for(subject, rng, None), ops)
            continue
        count = min(len(existing), rng.choices([1, 2, 3], weights=[50, 32, 18])[0])
        chosen = rng.sample(sorted(existing), count)
        ops, summaries, reasons = [], [], []
        for team in chosen:
            summary, reason = content.change(existing[team], company, day)
            summaries.append(f"{team}: {summary}")
            if reason:
                reasons.append(reason)
            ops.append(("M", paths[(quarter, team)], existing[team].render()))
        if count == 1:
            message = message_for(f"{quarter} {summaries[0]}", rng, reasons[0] if reasons else None)
        else:
            summary_list = "\n".join(f"- {s}" for s in summaries)
            message = message_for(f"{quarter} check-in: {', '.join(chosen)}", rng, reasons[0] if reasons else None,
                                  summary_list)
        stream.commit(author, ts, message, ops)
    return stream


def team_names(count: int) -> list[str]:
    names = list(BASE_TEAMS[:count])
    k = 2
    while len(names) < count:
        for base in BASE_TEAMS:
            if len(names) == count:
                break
            names.append(f"{base}-{k}")
        k += 1
    return names


def build_repository(args) -> None:
    out = os.path.abspath(args.out)
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"generate.py: {out} exists and is not empty")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)

    def git(*argv, **kw):
        subprocess.run(["git", "-C", out, *argv], check=True, env=env, **kw)

    git("init", "--quiet", "--initial-branch=main")
    git("config", "gc.auto", "0")
    importer = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE,
                                env=env)
    stream = generate_history(args, importer.stdin)
    importer.stdin.write(b"done\n")
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("generate.py: git fast-import failed")
    git("reset", "--quiet", "--hard", "main")
    # Pack as `git gc` would for a repository people work in: one pack, deltas searched afresh, and a
    # commit-graph (no changed-path Bloom filters: git does not write those by default).
    git("repack", "-a", "-d", "-f", "--quiet", "--window=50", "--depth=50")
    git("commit-graph", "write", "--reachable")
    print(f"generate.py: {out}: {stream.commits} commits", file=sys.stderr)


def write_validate_tree(args) -> None:
    rng = random.Random(args.seed)
    content = Content(rng)
    if args.quarters_given and args.teams_given:
        quarters_n, teams_n = args.quarters, args.teams
        if quarters_n * teams_n != args.validate_files:
            sys.exit("generate.py: --quarters x --teams must equal --validate-files")
    else:
        quarters_n = 40
        if args.validate_files % quarters_n:
            sys.exit("generate.py: --validate-files must be a multiple of 40 (or give --quarters and --teams)")
        teams_n = args.validate_files // quarters_n
    out = os.path.abspath(args.out)
    if os.path.exists(out) and os.listdir(out):
        sys.exit(f"generate.py: {out} exists and is not empty")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "okr.toml"), "w") as f:
        f.write('dir = "okrs"\n')
    teams = team_names(teams_n)
    start_year = args.start_year - quarters_n // 4 + 2
    for qi in range(quarters_n):
        quarter = quarter_name(start_year, qi)
        folder = os.path.join(out, "okrs", quarter)
        os.makedirs(folder)
        company = None
        _, end = quarter_bounds(quarter)
        for team in teams:
            okr = content.new_file(quarter, team, company)
            if team == "company":
                company = okr
            for _ in range(rng.randrange(0, 8)):  # some history, so files differ in shape
                content.change(okr, company, day_of(end - rng.randrange(1, 80) * 86400))
            with open(os.path.join(folder, f"{team}.yaml"), "wb") as f:
                f.write(okr.render())
    print(f"generate.py: {out}: {quarters_n * teams_n} files ({quarters_n} quarters x {teams_n} teams)",
          file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--teams", type=int, default=None, help="teams per quarter (default 25)")
    p.add_argument("--quarters", type=int, default=None, help="quarters (default 8)")
    p.add_argument("--commits", type=int, default=5000, help="commits that touch okrs/ (default 5000)")
    p.add_argument("--start-year", type=int, default=2024, help="year of the first quarter (default 2024)")
    p.add_argument("--validate-files", type=int, default=None, help="write this many files, no git")
    p.add_argument("--out", help="directory to create (must not exist or be empty)")
    p.add_argument("--stream", action="store_true", help="write the fast-import stream to stdout")
    args = p.parse_args()
    args.teams_given, args.quarters_given = args.teams is not None, args.quarters is not None
    args.teams = 25 if args.teams is None else args.teams
    args.quarters = 8 if args.quarters is None else args.quarters
    # A history has at most 1000 teams a quarter; a validate tree (no git) may hold one quarter of 100,000.
    max_teams = 100_000 if args.validate_files is not None else 25 * 40
    if args.teams < 1 or args.teams > max_teams or args.quarters < 1 or args.commits < 0:
        p.error(f"--teams must be 1..{max_teams}, --quarters >= 1, --commits >= 0")
    if args.validate_files is not None:
        if not args.out:
            p.error("--validate-files needs --out")
        write_validate_tree(args)
    elif args.stream:
        try:
            generate_history(args, sys.stdout.buffer)
            sys.stdout.buffer.write(b"done\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
    elif args.out:
        build_repository(args)
    else:
        p.error("give --out DIR (or --stream)")


if __name__ == "__main__":
    main()
