#!/usr/bin/env python3
"""Synthetic service catalogue for Masar benchmarks.

    python3 Benchmarks/generate_catalogue.py OUT_DIR [--services 3000] [--seed 42]
    python3 Benchmarks/generate_catalogue.py --dense-500 FILE [--seed 42]

The first form writes OUT_DIR/<id>.yaml, one service map per file in the
shape of DESIGN.md "Service maps", each with a `current:` and a `future:`
path.  The second writes a single service whose 500-step current path (and
250-step future path) has dense rework loops, to stress the Markov-chain
solver.

Every file satisfies the loader rules: unique step ids, existing `next`
targets, every step reachable from the first step and able to reach an end
step, consistent branch probabilities, no duplicate targets from one step,
and `replaces` naming current steps only.  Output depends only on the seed.
Standard library only; the YAML text is written by hand.

Things a loader must accept (all within DESIGN.md): compound durations such
as `1d 4h` (~6% of steps); `fee: 0` mostly left out (fee and effort default
to 0); an explicit `start:` (always the first step) in ~10% of paths;
`life_events` in ~10% of services; both `- id:` indentations and both flow
and block `next`/`documents` lists.  With every step carrying title, actor,
channel, duration and next (~190 bytes), 3000 services of 8-40 + ~55% steps
come to about 26 MB (8.7 KB/service) with the default seed.
"""

import argparse
import os
import random
import sys

# --------------------------------------------------------------------------
# Vocabulary

SECTORS = [
    "health", "education", "commerce", "labour", "housing",
    "transport", "municipal", "social-care", "justice", "tourism",
]

INSTITUTIONS = [
    "Ministry of Health",
    "Ministry of Education",
    "Commerce Ministry",
    "Ministry of Labour",
    "Housing Ministry",
    "Royal Oman Police",
    "Civil Status",
    "Municipality",
    "Tax Authority",
    "Social Development",
    "Courts",
]

SECTOR_ENTITY = {
    "health": "Ministry of Health",
    "education": "Ministry of Education",
    "commerce": "Commerce Ministry",
    "labour": "Ministry of Labour",
    "housing": "Housing Ministry",
    "transport": "Royal Oman Police",
    "municipal": "Municipality",
    "social-care": "Social Development",
    "justice": "Courts",
    "tourism": "Commerce Ministry",
}

SUBJECTS = [
    ("birth certificate", "شهادة الميلاد"),
    ("building permit", "رخصة البناء"),
    ("commercial register", "السجل التجاري"),
    ("work permit", "تصريح العمل"),
    ("driving licence", "رخصة القيادة"),
    ("vehicle registration", "تسجيل المركبة"),
    ("health card", "البطاقة الصحية"),
    ("school enrolment", "تسجيل الطلاب"),
    ("land title", "سند الملكية"),
    ("social security benefit", "معاش الضمان الاجتماعي"),
    ("marriage contract", "عقد الزواج"),
    ("tourist licence", "الترخيص السياحي"),
    ("residence card", "بطاقة الإقامة"),
    ("fishing licence", "رخصة الصيد"),
    ("tax registration", "التسجيل الضريبي"),
    ("power of attorney", "الوكالة القانونية"),
    ("housing loan", "القرض السكني"),
    ("food establishment licence", "ترخيص المنشأة الغذائية"),
    ("advertising permit", "تصريح الإعلان"),
    ("medical report", "التقرير الطبي"),
    ("certificate of good conduct", "شهادة حسن السيرة والسلوك"),
    ("disability card", "بطاقة الإعاقة"),
    ("import permit", "تصريح الاستيراد"),
    ("academic certificate attestation", "تصديق الشهادة الدراسية"),
]

ACTIONS = [
    ("Issue", "إصدار"),
    ("Renew", "تجديد"),
    ("Amend", "تعديل"),
    ("Cancel", "إلغاء"),
    ("Replace lost", "بدل فاقد"),
    ("Transfer", "نقل"),
]

# step templates: (slug, english title, arabic title, typical channel)
STEPS = [
    ("book", "Book appointment", "حجز موعد", "online"),
    ("apply", "Submit application", "تقديم الطلب", "in-person"),
    ("verify-documents", "Verify documents", "مراجعة المستندات", "in-person"),
    ("pay-fees", "Pay fees", "دفع الرسوم", "kiosk"),
    ("issue-certificate", "Issue certificate", "إصدار الشهادة", "in-person"),
    ("attest", "Attest documents", "تصديق المستندات", "in-person"),
    ("medical-exam", "Medical examination", "الفحص الطبي", "in-person"),
    ("inspect-site", "Site inspection", "المعاينة الميدانية", "in-person"),
    ("security-check", "Security clearance", "الموافقة الأمنية", "automatic"),
    ("committee", "Committee review", "دراسة اللجنة", "automatic"),
    ("approve", "Director approval", "اعتماد المدير", "automatic"),
    ("print-card", "Print card", "طباعة البطاقة", "in-person"),
    ("notify", "SMS notification", "إشعار نصي", "automatic"),
    ("collect", "Collect document", "استلام المستند", "in-person"),
    ("fill-form", "Fill paper form", "تعبئة النموذج", "in-person"),
    ("photo", "Biometric photo", "التصوير والبصمة", "in-person"),
    ("no-objection", "Get no-objection letter", "رسالة عدم ممانعة", "in-person"),
    ("follow-up", "Call centre follow-up", "المتابعة الهاتفية", "phone"),
    ("upload", "Upload documents", "رفع المستندات", "online"),
    ("data-entry", "Data entry", "إدخال البيانات", "automatic"),
    ("legal-review", "Legal review", "المراجعة القانونية", "automatic"),
    ("undertaking", "Sign undertaking", "توقيع التعهد", "in-person"),
    ("queue", "Take queue ticket", "أخذ رقم", "kiosk"),
    ("archive", "Archive file", "أرشفة الملف", "automatic"),
    ("verify-id", "Verify identity", "التحقق من الهوية", "in-person"),
    ("stamp", "Stamp request", "ختم الطلب", "in-person"),
    ("eligibility", "Check eligibility", "التحقق من الأهلية", "automatic"),
    ("resubmit", "Correct and resubmit", "تصحيح الطلب", "in-person"),
]

FUTURE_STEPS = [
    ("apply-online", "Apply online", "التقديم الإلكتروني", "online"),
    ("auto-verify", "Automatic verification", "التحقق الآلي", "automatic"),
    ("pay-online", "Pay online", "الدفع الإلكتروني", "online"),
    ("e-certificate", "Electronic certificate", "شهادة إلكترونية", "online"),
    ("proactive", "Proactive notice", "إشعار استباقي", "automatic"),
    ("kiosk-print", "Print at kiosk", "طباعة ذاتية", "kiosk"),
    ("auto-approve", "Automatic approval", "اعتماد آلي", "automatic"),
    ("video-inspect", "Remote inspection", "معاينة عن بعد", "online"),
    ("one-stop", "One-stop visit", "زيارة واحدة", "in-person"),
    ("data-sharing", "Data sharing", "تبادل البيانات", "automatic"),
    ("e-sign", "Digital signature", "توقيع رقمي", "online"),
    ("courier", "Courier delivery", "توصيل بالبريد", "automatic"),
]

DOCUMENTS = [
    "civil-id", "passport", "photo", "birth-notice", "parents-ids",
    "marriage-cert", "salary-cert", "bank-statement", "lease", "title-deed",
    "site-plan", "drawings", "cr-extract", "noc", "medical-report",
    "police-clearance", "degree", "job-contract", "sponsor-letter",
    "vehicle-card", "insurance", "tax-card", "municipal-clearance",
    "poa", "disability-report", "family-card", "electricity-bill",
    "charter", "signature", "old-licence",
]

CHANNELS = ["in-person", "online", "phone", "kiosk", "automatic"]

LOOP_REASONS = [
    "missing documents", "incomplete form", "payment rejected",
    "inspection failed", "data mismatch", "signature missing",
    "photo rejected", "returned for correction",
]

BRANCH_REASONS = [
    "applicant is a company", "expedited service requested",
    "site inspection waived", "previous record exists",
    "applicant is abroad", "fee exemption applies", "renewal only",
]

LIFE_EVENTS = [
    "birth-of-a-child", "marriage", "official-documents", "social-care",
    "starting-a-business", "buying-a-home", "retirement",
]

CITIZEN = "citizen"

# --------------------------------------------------------------------------
# Small helpers


def pick_duration(rng, channel):
    """Elapsed time, e.g. 30m, 2h, 1d, 1d 4h, 1w."""
    if channel == "automatic":
        r = rng.random()
        if r < 0.3:
            return "%dm" % rng.choice([5, 10, 15, 30])
        if r < 0.6:
            return "%dh" % rng.randint(1, 8)
        if r < 0.9:
            return "%dd" % rng.randint(1, 5)
        return "1d %dh" % rng.randint(1, 12)
    if channel in ("online", "kiosk", "phone"):
        r = rng.random()
        if r < 0.6:
            return "%dm" % rng.choice([5, 10, 15, 20, 30, 45])
        if r < 0.9:
            return "%dh" % rng.randint(1, 4)
        return "%dd" % rng.randint(1, 2)
    r = rng.random()
    if r < 0.25:
        return "%dm" % rng.choice([30, 45, 60, 90])
    if r < 0.5:
        return "%dh" % rng.randint(1, 6)
    if r < 0.85:
        return "%dd" % rng.randint(1, 10)
    if r < 0.95:
        return "%dd %dh" % (rng.randint(1, 3), rng.randint(1, 8))
    return "%dw" % rng.randint(1, 3)


def pick_effort(rng, channel):
    if channel == "automatic":
        return None  # default 0
    if channel in ("online", "kiosk"):
        return "%dm" % rng.choice([5, 10, 15, 20])
    if channel == "phone":
        return "%dm" % rng.choice([10, 15, 30])
    r = rng.random()
    if r < 0.6:
        return "%dm" % rng.choice([30, 45, 60, 90])
    return "%dh" % rng.randint(1, 4)


def pick_fee(rng):
    if rng.random() < 0.7:
        return "0"
    baisa = rng.choice([500, 1000, 1500, 2000, 2500, 3000, 5000, 10000, 20000, 25000, 50000, 100000, 150])
    return "%d.%03d" % (baisa // 1000, baisa % 1000)


def prob(rng, lo, hi):
    """A probability in [lo, hi] on a 0.05 grid, formatted with 2 decimals."""
    k = rng.randint(int(round(lo * 20)), int(round(hi * 20)))
    return k * 5  # hundredths


def fmt_p(hundredths):
    return "%d.%02d" % (hundredths // 100, hundredths % 100)


class Edge:
    __slots__ = ("to", "when", "p")

    def __init__(self, to, when=None, p=None):
        self.to = to          # target index in the path's step list
        self.when = when
        self.p = p            # hundredths, or None

    def text(self, ids):
        if self.when is None and self.p is None:
            return ids[self.to]
        parts = ["to: " + ids[self.to]]
        if self.when is not None:
            parts.append("when: " + self.when)
        if self.p is not None:
            parts.append("probability: " + fmt_p(self.p))
        return "{" + ", ".join(parts) + "}"


class Step:
    def __init__(self, sid, en, ar, actor, channel):
        self.id = sid
        self.en = en
        self.ar = ar
        self.actor = actor
        self.channel = channel
        self.duration = "1h"
        self.effort = None
        self.fee = "0"
        self.documents = []
        self.produces = []
        self.replaces = []
        self.edges = []
        self.reject = False


def emit_path(out, key, steps, rng, start=False, compact=False):
    """Write one path.  compact=True puts the step list at the indentation of
    its key (`steps:` / `- id:` aligned), the other common YAML style."""
    ids = [s.id for s in steps]
    out.append("%s:\n" % key)
    if start:
        out.append("  start: %s\n" % ids[0])
    out.append("  steps:\n")
    item = "  - " if compact else "    - "
    ind = "    " if compact else "      "
    for s in steps:
        out.append("%sid: %s\n" % (item, s.id))
        out.append("%stitle: {en: %s, ar: %s}\n" % (ind, s.en, s.ar))
        out.append("%sactor: %s\n" % (ind, s.actor))
        out.append("%schannel: %s\n" % (ind, s.channel))
        out.append("%sduration: %s\n" % (ind, s.duration))
        if s.effort is not None:
            out.append("%seffort: %s\n" % (ind, s.effort))
        if s.fee != "0" or rng.random() < 0.1:
            out.append("%sfee: %s\n" % (ind, s.fee))
        if s.documents:
            if rng.random() < 0.8:
                out.append("%sdocuments: [%s]\n" % (ind, ", ".join(s.documents)))
            else:
                out.append("%sdocuments:\n" % ind)
                for d in s.documents:
                    out.append("%s  - %s\n" % (ind, d))
        elif rng.random() < 0.05:
            out.append("%sdocuments: []\n" % ind)
        if s.produces:
            out.append("%sproduces: [%s]\n" % (ind, ", ".join(s.produces)))
        if s.replaces:
            out.append("%sreplaces: [%s]\n" % (ind, ", ".join(s.replaces)))
        if s.edges:
            texts = [e.text(ids) for e in s.edges]
            has_map = any(e.when is not None or e.p is not None for e in s.edges)
            block = rng.random() < (0.4 if has_map else 0.15)
            if block:
                out.append("%snext:\n" % ind)
                for t in texts:
                    out.append("%s  - %s\n" % (ind, t))
            else:
                out.append("%snext: [%s]\n" % (ind, ", ".join(texts)))


# --------------------------------------------------------------------------
# Services


def make_id(style, n, slug):
    if style == 0:
        return "s-%d-%s" % (n, slug)
    if style == 1:
        return "step-%03d" % n
    return slug if n is None else "%s-%d" % (slug, n)


def build_current(rng, n, entity, others):
    """Forward chain of n steps with branches, rework loops and maybe a
    rejection end step.  Returns the step list (indices are list positions)."""
    style = rng.choice([0, 1, 1, 1, 2])
    steps = []
    for i in range(n):
        slug, en, ar, ch = rng.choice(STEPS)
        if rng.random() < 0.25:
            ch = rng.choice(CHANNELS)
        if ch in ("online", "kiosk", "phone"):
            actor = CITIZEN if rng.random() < 0.5 else entity
        elif ch == "automatic":
            actor = entity if rng.random() < 0.6 else rng.choice(others)
        else:
            r = rng.random()
            actor = entity if r < 0.5 else (CITIZEN if r < 0.6 else rng.choice(others))
        s = Step(make_id(style, i + 1, slug), en, ar, actor, ch)
        s.duration = pick_duration(rng, ch)
        s.effort = pick_effort(rng, ch)
        s.fee = pick_fee(rng) if ch != "automatic" else "0"
        if ch != "automatic" and rng.random() < 0.5:
            s.documents = rng.sample(DOCUMENTS, rng.choice([1, 1, 1, 2, 2, 3]))
        if rng.random() < 0.08:
            s.produces = [rng.choice(DOCUMENTS)]
        steps.append(s)
    steps[-1].produces = [rng.choice(DOCUMENTS)]

    # forward chain, branches and loops
    for i in range(n - 1):
        s = steps[i]
        fwd = Edge(i + 1)
        edges = [fwd]
        # forward branch (skip ahead)
        if i + 2 <= n - 1 and rng.random() < 0.15:
            k = rng.randint(i + 2, min(n - 1, i + 4))
            if rng.random() < 0.4:
                edges.append(Edge(k))  # even split
            else:
                edges.append(Edge(k, rng.choice(BRANCH_REASONS), prob(rng, 0.2, 0.4)))
        # rework loop
        if i >= 1 and rng.random() < 0.15:
            j = rng.randint(max(0, i - 5), i - 1)
            edges.append(Edge(j, rng.choice(LOOP_REASONS), prob(rng, 0.1, 0.3)))
        # sometimes every edge carries a probability (sum exactly 1)
        if len(edges) > 1 and all(e.p is not None for e in edges[1:]) and rng.random() < 0.3:
            fwd.p = 100 - sum(e.p for e in edges[1:])
            fwd.when = None
        rng.shuffle(edges)
        s.edges = edges

    # occasional rejection outcome: an extra end step listed last
    if n >= 6 and rng.random() < 0.2:
        src = rng.randint(1, n - 3)
        rej = Step(make_id(style, n + 1, "rejected"),
                   "Application rejected", "رفض الطلب", steps[src].actor
                   if steps[src].actor != CITIZEN else entity, "automatic")
        rej.duration = pick_duration(rng, "automatic")
        rej.reject = True
        steps.append(rej)
        e = steps[src].edges
        taken = sum(x.p for x in e if x.p is not None)
        has_plain = any(x.p is None for x in e)
        if has_plain and taken + 5 < 100:
            e.append(Edge(n, "application rejected", 5))
        else:
            # all-probability step: take the 0.05 from its largest edge
            big = max(e, key=lambda x: x.p)
            big.p -= 5
            e.append(Edge(n, "application rejected", 5))
    return steps


def build_future(rng, current, entity, others):
    chain = [s for s in current if not s.reject] or current
    n = len(chain)
    m = max(3, int(round(n * rng.uniform(0.4, 0.7))))
    m = min(m, n)
    cuts = sorted(rng.sample(range(1, n), m - 1))
    groups = []
    prev = 0
    for c in cuts + [n]:
        groups.append(chain[prev:c])
        prev = c
    steps = []
    used = set()
    style = rng.choice([0, 1])
    for gi, g in enumerate(groups):
        if len(g) == 1 and rng.random() < 0.5:
            c = g[0]
            s = Step(c.id, c.en, c.ar, c.actor, c.channel)
            s.duration, s.effort, s.fee = c.duration, c.effort, c.fee
            s.documents = list(c.documents)
            s.produces = list(c.produces)
            if rng.random() < 0.4:  # changed
                if c.channel == "in-person":
                    s.channel = rng.choice(["online", "kiosk", "automatic"])
                    s.effort = pick_effort(rng, s.channel)
                s.duration = pick_duration(rng, s.channel)
                if s.documents and rng.random() < 0.5:
                    s.documents = s.documents[:-1]
        else:
            slug, en, ar, ch = rng.choice(FUTURE_STEPS)
            if style == 0:
                sid = "f-%d-%s" % (gi + 1, slug)
            else:
                sid = "new-%03d" % (gi + 1)
            actor = CITIZEN if ch == "online" and rng.random() < 0.6 else (
                entity if rng.random() < 0.7 else rng.choice(others))
            s = Step(sid, en, ar, actor, ch)
            s.duration = pick_duration(rng, ch)
            s.effort = pick_effort(rng, ch)
            s.fee = pick_fee(rng) if rng.random() < 0.5 else "0"
            if ch != "automatic" and rng.random() < 0.4:
                s.documents = rng.sample(DOCUMENTS, rng.randint(1, 2))
            if rng.random() < 0.85:
                # some current steps in the group may simply be removed
                k = len(g) if rng.random() < 0.7 else rng.randint(1, len(g))
                s.replaces = [c.id for c in g[:k]]
        assert s.id not in used
        used.add(s.id)
        steps.append(s)
    steps[-1].produces = steps[-1].produces or [rng.choice(DOCUMENTS)]

    m = len(steps)
    for i in range(m - 1):
        fwd = Edge(i + 1)
        edges = [fwd]
        if i + 2 <= m - 1 and rng.random() < 0.08:
            k = rng.randint(i + 2, min(m - 1, i + 3))
            if rng.random() < 0.5:
                edges.append(Edge(k))
            else:
                edges.append(Edge(k, rng.choice(BRANCH_REASONS), prob(rng, 0.2, 0.4)))
        if i >= 1 and rng.random() < 0.07:
            j = rng.randint(max(0, i - 3), i - 1)
            edges.append(Edge(j, rng.choice(LOOP_REASONS), prob(rng, 0.05, 0.15)))
        if len(edges) > 1 and all(e.p is not None for e in edges[1:]) and rng.random() < 0.3:
            fwd.p = 100 - sum(e.p for e in edges[1:])
        rng.shuffle(edges)
        steps[i].edges = edges
    return steps


def service_text(rng, index, used_ids):
    sector = rng.choice(SECTORS)
    entity = SECTOR_ENTITY[sector]
    if rng.random() < 0.3:
        entity = rng.choice(INSTITUTIONS)
    others = rng.sample([x for x in INSTITUTIONS if x != entity], rng.randint(1, 3))
    action, action_ar = rng.choice(ACTIONS)
    subject, subject_ar = rng.choice(SUBJECTS)
    base = "%s-%s" % (action.lower().replace(" ", "-"), subject.replace(" ", "-"))
    sid = "%s-%04d" % (base, index + 1)
    assert sid not in used_ids
    used_ids.add(sid)

    n = rng.randint(8, 40)
    current = build_current(rng, n, entity, others)
    future = build_future(rng, current, entity, others)

    out = []
    if index % 10 == 0:
        out.append("# synthetic (Benchmarks/generate_catalogue.py)\n")
    out.append("id: %s\n" % sid)
    out.append("title: {en: %s %s, ar: %s %s}\n" % (action, subject, action_ar, subject_ar))
    out.append("entity: %s\n" % entity)
    out.append("sector: %s\n" % sector)
    if rng.random() < 0.1:
        out.append("life_events: [%s]\n" % rng.choice(LIFE_EVENTS))
    out.append("annual_volume: %d\n" % rng.choice(
        [rng.randint(50, 999), rng.randint(1000, 20000), rng.randint(20000, 250000)]))
    compact = rng.random() < 0.75
    emit_path(out, "current", current, rng, start=rng.random() < 0.1, compact=compact)
    emit_path(out, "future", future, rng, start=rng.random() < 0.1, compact=compact)
    return sid, "".join(out)


# --------------------------------------------------------------------------
# Dense 500-step service


DENSE_LONG_SHARE = 0.1
DENSE_LONG_MAX = 20


def dense_text(rng, n_current=500, n_future=250):
    entity = "Commerce Ministry"
    others = ["Royal Oman Police", "Tax Authority", "Municipality"]

    def dense_path(n, prefix, current_ids=None):
        steps = []
        for i in range(n):
            slug, en, ar, ch = rng.choice(STEPS if current_ids is None else FUTURE_STEPS + STEPS)
            actor = rng.choice([entity, entity, CITIZEN] + others)
            s = Step("%s-%03d" % (prefix, i + 1), en, ar, actor, ch)
            s.duration = pick_duration(rng, ch)
            s.effort = pick_effort(rng, ch)
            s.fee = pick_fee(rng)
            if ch != "automatic" and rng.random() < 0.5:
                s.documents = rng.sample(DOCUMENTS, rng.randint(1, 3))
            steps.append(s)
        for i in range(n - 1):
            edges = [Edge(i + 1)]
            if i >= 1:
                k = min(i, rng.randint(1, 3))
                targets = []
                while len(targets) < k:
                    # mostly short loops, occasionally a long one.  The mean
                    # jump back times the mean loop probability stays well
                    # below the forward probability, so the walk drifts to
                    # the end: (I - Q) is dense-ish but well conditioned.
                    if rng.random() < DENSE_LONG_SHARE:
                        d = rng.randint(4, DENSE_LONG_MAX)
                    else:
                        d = rng.randint(1, 3)
                    j = i - d
                    if j >= 0 and j not in targets:
                        targets.append(j)
                for j in targets:
                    p = prob(rng, 0.05, 0.15) if i - j <= 3 else 5
                    edges.append(Edge(j, rng.choice(LOOP_REASONS), p))
            rng.shuffle(edges)
            steps[i].edges = edges
        if current_ids is not None:
            # every future step replaces two current steps: 500 -> 250
            for i, s in enumerate(steps):
                s.replaces = current_ids[2 * i:2 * i + 2]
        return steps

    current = dense_path(n_current, "step")
    future = dense_path(n_future, "fstep", [s.id for s in current])
    out = []
    out.append("# Dense synthetic service generated by Benchmarks/generate_catalogue.py --dense-500\n")
    out.append("id: dense-rework-500\n")
    out.append("title: {en: Dense rework stress service, ar: خدمة اختبار كثيفة الإعادة}\n")
    out.append("entity: %s\n" % entity)
    out.append("sector: commerce\n")
    out.append("annual_volume: 100000\n")
    emit_path(out, "current", current, rng)
    emit_path(out, "future", future, rng)
    return "".join(out)


# --------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", help="directory to write <id>.yaml files into")
    ap.add_argument("--services", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--dense-500", metavar="FILE", dest="dense",
                    help="write one 500-step dense-rework service to FILE instead")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)

    if a.dense:
        text = dense_text(rng)
        d = os.path.dirname(os.path.abspath(a.dense))
        os.makedirs(d, exist_ok=True)
        with open(a.dense, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        size = len(text.encode("utf-8"))
        print("wrote 1 file (%s), total %d bytes (%.2f MB)" % (a.dense, size, size / 1e6))
        return 0

    if not a.out_dir:
        ap.error("OUT_DIR is required (or use --dense-500 FILE)")
    if a.services < 1:
        ap.error("--services must be at least 1")
    os.makedirs(a.out_dir, exist_ok=True)
    used = set()
    total = 0
    written = set()
    for i in range(a.services):
        sid, text = service_text(rng, i, used)
        name = sid + ".yaml"
        data = text.encode("utf-8")
        with open(os.path.join(a.out_dir, name), "wb") as f:
            f.write(data)
        written.add(name)
        total += len(data)
    stale = [x for x in os.listdir(a.out_dir) if x.endswith(".yaml") and x not in written]
    if stale:
        print("warning: %d other .yaml files already in %s (not from this run)"
              % (len(stale), a.out_dir), file=sys.stderr)
    print("wrote %d files to %s, total %d bytes (%.2f MB, %.1f KB/service)"
          % (a.services, a.out_dir, total, total / 1e6, total / 1e3 / a.services))
    return 0


if __name__ == "__main__":
    sys.exit(main())
