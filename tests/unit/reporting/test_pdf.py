"""The briefing pack's PDF: sections and contents, markings on every page, escaping,
scripts, metadata, long tables, atomic writing and cancelling.

The pack is rendered from a `BriefingData` built here from the demo programme's
figures plus hand-written lines (hostile titles, names in Cyrillic and Devanagari, a
capped annex), so these tests exercise the layout alone; one more renders what
`collect` gathers from the demo database.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.reporting.briefing import (
    ActionLine,
    BriefingData,
    Changes,
    ContractLine,
    DecisionLine,
    MilestoneLine,
    Name,
    RateLine,
    RiskLine,
    WorkstreamLine,
)
from app.reporting.collect import BriefRequest, collect
from app.reporting.pdf import Cancelled, render
from app.reporting.sections import SECTIONS
from app.reporting.sections_common import worst_first
from app.services import analytics, programmes
from app.services.analytics_schedule import TrendSeries
from app.services.audience import Audience

TODAY = date(2026, 11, 26)
MARKING = "CONFIDENTIAL"
CYRILLIC = Name("Severny Luch", "НПО «Северный луч»")
DEVANAGARI = Name("Tarang RL", "तरंग रडार प्रयोगशाला")
BOLD_TITLE = "<b>R&D</b> <font size=80>"
IMG_TITLE = '<img src="http://example.org/x.png"/>'
HEADINGS = (
    "1 Executive summary",
    "2 Workstreams",
    "3 Co-production contracts",
    "4 Cost sharing",
    "5 Risks",
    "6 Changes since the previous pack",
    "7 Annex",
)
ANNEX_RISKS, RISKS_TOTAL = 90, 140

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "qpdf")),
    reason="needs poppler-utils and qpdf",
)


def _risk(n: int, title: str, owner: str, trend: str = "flat") -> RiskLine:
    likelihood, impact = 5 - n % 5, 5 - n // 5 % 5
    return RiskLine(
        reference=f"R-{n:03d}",
        title=title,
        owner=owner,
        category="supply chain",
        likelihood=likelihood,
        impact=impact,
        score=likelihood * impact,
        rating="HIGH" if likelihood * impact >= 15 else "MEDIUM",
        residual_score=max(likelihood * impact // 3, 1),
        trend=trend,
        mitigation="Qualify a second source and hold six months of buffer stock.",
        proximity=TODAY + timedelta(days=30 * n) if n % 3 else None,
        status="open",
    )


def briefing(db_path: Path) -> BriefingData:
    """The demo programme's figures, with hand-written lines where collect would query."""
    with open_database(resolve(str(db_path))) as db:
        programme = programmes.choose(db, None)
        figures = analytics.programme_figures(db, programme.id, TODAY, Audience.parse("joint"))
    titles = {w.workstream_id: w.title for w in figures.earned_value.workstreams}
    ev = {w.workstream_id: w for w in figures.earned_value.workstreams}
    workstreams = tuple(
        WorkstreamLine(
            code=s.code,
            title=titles[s.workstream_id],
            phase="development",
            lead=(DEVANAGARI, CYRILLIC)[i % 2],
            trl_now=4 + i % 3,
            trl_target=8,
            rag=figures.workstream_rags[s.workstream_id].status,
            reasons=figures.workstream_rags[s.workstream_id].reasons,
            next_milestone=s.next_milestone_title,
            next_forecast=s.next_forecast,
            slip_days=(
                (s.next_forecast - s.next_baseline).days
                if s.next_forecast and s.next_baseline
                else None
            ),
            spi=ev[s.workstream_id].spi,
            cpi=ev[s.workstream_id].cpi,
            baseline_start=TODAY - timedelta(days=500 + 40 * i),
            baseline_finish=TODAY + timedelta(days=300 + 60 * i),
            forecast_finish=TODAY + timedelta(days=330 + 75 * i),
        )
        for i, s in enumerate(figures.schedule.workstreams)
    )
    milestones = tuple(
        MilestoneLine(
            workstream=workstreams[n % len(workstreams)].code,
            title=f"Milestone {n}: design review and acceptance of the test report",
            baseline=TODAY + timedelta(days=20 * n - 400),
            forecast=TODAY + timedelta(days=20 * n - 380),
            actual=TODAY + timedelta(days=20 * n - 385) if n < 15 else None,
            slip_days=20,
            state="complete" if n < 15 else "open",
        )
        for n in range(60)
    )
    contracts = tuple(
        ContractLine(
            number=c.number,
            title=c.title,
            supplier=(CYRILLIC, DEVANAGARI)[i % 2],
            customer=(DEVANAGARI, CYRILLIC)[i % 2],
            value_minor=c.currency_value_minor,
            currency=c.currency,
            value_base_minor=c.value_minor,
            delivered=3 * i,
            ordered=12,
            ic_target_pct=c.ic_target_pct,
            ic_achieved_pct=c.ic_achieved_pct,
            below_minimum=c.below_minimum,
            tot=c.tot.to_json(),
            offset_obligation_minor=c.offset_obligation_minor,
            offset_discharged_minor=c.offset_discharged_minor,
        )
        for i, c in enumerate(figures.industry.contracts)
    )
    owners = (CYRILLIC.native, DEVANAGARI.native, "Wg Cdr A. Rao")
    top = (
        _risk(1, BOLD_TITLE, owners[0], "up"),
        _risk(2, IMG_TITLE, owners[1], "down"),
        *(_risk(n, f"Top risk {n}", owners[n % 3]) for n in range(3, 11)),
    )
    annex = (*top, *(_risk(n, f"Register risk {n}", owners[n % 3]) for n in range(11, 91)))
    trend = tuple(
        TrendSeries(
            milestone_id=n,
            workstream_code=workstreams[n].code,
            title=f"Milestone {n}",
            baseline=TODAY + timedelta(days=60 * n),
            points=tuple(
                (TODAY - timedelta(days=90 * k), TODAY + timedelta(days=60 * n + 10 * (4 - k)))
                for k in range(4, -1, -1)
            ),
        )
        for n in range(3)
    )
    rates = tuple(
        RateLine(src, dst, rate, on)
        for agreement in figures.cost_share
        for src, dst, rate, on in agreement.rates_used[:3]
    )
    return BriefingData(
        code=programme.code,
        name=programme.name,
        base_currency=programme.base_currency,
        audience="joint",
        audience_label="Joint (IND, RUS)",
        status_date=TODAY,
        marking=MARKING,
        distribution="Joint Working Group members; not for onward distribution",
        created_by="officer",
        created_at="2026-11-26T09:30:00Z",
        snapshot_id=7,
        audit_head="9f2c" * 16 + ":1234",
        figures=figures,
        partners=(("IND", "Republic of India"), ("RUS", "Russian Federation")),
        workstreams=workstreams,
        milestones=milestones,
        milestones_total=len(milestones),
        trend=trend,
        contracts=contracts,
        rates=rates,
        top_risks=top,
        rising=top[:1],
        risks=annex[:ANNEX_RISKS],
        risks_total=RISKS_TOTAL,
        overdue_actions=tuple(
            ActionLine(a.title, a.owner, a.due_on, a.days_overdue, a.risk_reference)
            for a in figures.risks.overdue_actions
        ),
        decisions=(
            DecisionLine("Approve the second radome source", "JWG", TODAY, "pending", ""),
            DecisionLine("Agree the FY27 cost-share split", "Steering board", TODAY, "pending", ""),
        ),
        excluded_records=3,
        changes=Changes(
            since_snapshot=6,
            since_date=TODAY - timedelta(days=28),
            new_risks=("R-001 " + BOLD_TITLE,),
            closed_risks=(),
            rescored_risks=(("R-002", 9, 12),),
            slipped_milestones=(("WS-01 Design review", TODAY, TODAY + timedelta(days=21)),),
            new_contributions=("IND paid ₹12,50,000.00 on 2026-11-02",),
            decisions_taken=("Second radome source approved",),
        ),
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
    return path


@pytest.fixture(scope="module")
def data(demo: Path) -> BriefingData:
    return briefing(demo)


@pytest.fixture(scope="module")
def pack(data: BriefingData, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("out") / "pack.pdf"
    return out, render(data, out)


def text(pdf: Path, page: int | None = None, *options: str) -> str:
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    found = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, *options, str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout


def squeeze(value: str) -> str:
    """Without whitespace: a table cell may wrap a long title anywhere."""
    return "".join(value.split())


def info(pdf: Path) -> dict[str, str]:
    found = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(pdf)], check=True, capture_output=True, text=True
    )
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in found.stdout.splitlines())
    )


def page_sizes(pdf: Path, pages: int) -> list[tuple[float, float]]:
    found = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(pages), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    )
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", found.stdout)
    return [(float(w), float(h)) for w, h in sizes]


def test_page_count_is_returned(pack: tuple[Path, int]) -> None:
    pdf, pages = pack
    assert int(info(pdf)["Pages"]) == pages


def test_sections_in_order_with_page_numbers_in_contents(pack: tuple[Path, int]) -> None:
    pdf, pages = pack
    contents = text(pdf, 2, "-layout")
    assert "Contents" in contents
    body = "".join(text(pdf, n) for n in range(3, pages + 1))
    positions = [body.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    for heading in HEADINGS:
        listed = re.search(re.escape(heading) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert listed, f"{heading!r} is not on the contents page"
        assert heading in text(pdf, int(listed.group(1))), f"{heading!r} is not on its page"


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """The PDF outline as (level, title, page), sections and their subsections in order."""
    found = subprocess.run(
        ["qpdf", "--json", "--json-key=outlines", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    )

    def walk(items: list[dict[str, Any]], level: int) -> list[tuple[int, str, int]]:
        return [
            entry
            for item in items
            for entry in [
                (level, item["title"], item["destpageposfrom1"]),
                *walk(item["kids"], level + 1),
            ]
        ]

    return walk(json.loads(found.stdout)["outlines"], 0)


def test_contents_lists_every_section_and_subsection_on_its_page(
    pack: tuple[Path, int],
) -> None:
    """Laid out in one pass, the contents still gets every heading's page right."""
    pdf, _ = pack
    contents = text(pdf, 2, "-layout")
    listed = outline(pdf)
    assert [title for level, title, _ in listed if level == 0] == list(HEADINGS)
    assert any(level == 1 for level, _, _ in listed)
    lines = [line for line in contents.splitlines() if re.search(r"\.\s*\d+\s*$", line)]
    assert len(lines) == len(listed), "one contents line per outline entry"
    for (_, title, page), line in zip(listed, lines, strict=True):
        found = re.fullmatch(r"\s*" + re.escape(title) + r"[ .]*?(\d+)\s*", line)
        assert found, f"{title!r} is not listed in order: {line!r}"
        assert int(found.group(1)) == page, f"{title!r}: contents {found.group(1)}, page {page}"
        assert squeeze(title) in squeeze(text(pdf, page)), f"{title!r} is not on page {page}"


def band(pdf: Path, page: int, width: float, top: float, bottom: float) -> str:
    """The text of `page` between `top` and `bottom` points from the head of the page."""
    crop = ["-x", "0", "-W", str(int(width)), "-y", str(int(top)), "-H", str(int(bottom - top))]
    return text(pdf, page, *crop)


def test_outline_points_at_each_heading_page(pack: tuple[Path, int]) -> None:
    """Pages are written only when the total is known; bookmarks must follow them."""
    pdf, _ = pack
    found = subprocess.run(
        ["qpdf", "--json", "--json-key=outlines", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    )
    sections = {o["title"]: o["destpageposfrom1"] for o in json.loads(found.stdout)["outlines"]}
    assert list(sections) == list(HEADINGS)
    for heading, page in sections.items():
        assert heading in text(pdf, page), f"{heading!r} is not on page {page}"


def test_every_page_is_marked_numbered_and_dated(
    pack: tuple[Path, int], data: BriefingData
) -> None:
    pdf, pages = pack
    sizes = page_sizes(pdf, pages)
    assert {w > h for w, h in sizes} == {True, False}, "portrait and landscape pages"
    for n, (width, height) in enumerate(sizes, start=1):
        head = band(pdf, n, width, 0, 45)
        foot = band(pdf, n, width, height - 30, height)
        footer = band(pdf, n, width, height - 60, height - 30)
        assert head.split() == [MARKING], f"page {n}: no marking at the head"
        assert foot.split() == [MARKING], f"page {n}: no marking at the foot"
        assert f"Page {n} of {pages}" in footer, f"page {n}: no page number"
        assert data.code in footer and TODAY.isoformat() in footer, f"page {n}: no code or date"


def test_every_font_is_embedded(pack: tuple[Path, int]) -> None:
    pdf, _ = pack
    listing = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        # name type encoding emb sub uni object ID: "emb" is the fifth field from the end
        assert line.split()[-5] == "yes", line


def test_user_text_is_printed_literally(pack: tuple[Path, int]) -> None:
    pdf, _ = pack
    everything = squeeze(text(pdf))
    assert squeeze(BOLD_TITLE) in everything
    assert squeeze(IMG_TITLE) in everything
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert len(images.strip().splitlines()) == 2, "the pack holds no image at all"


def test_cyrillic_round_trips(pack: tuple[Path, int]) -> None:
    pdf, _ = pack
    assert squeeze(CYRILLIC.native) in squeeze(text(pdf))


def test_qpdf_check_passes(pack: tuple[Path, int]) -> None:
    pdf, _ = pack
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)


def test_metadata(pack: tuple[Path, int], data: BriefingData) -> None:
    pdf, _ = pack
    found = info(pdf)
    assert found["Title"] == f"{data.code} briefing pack {TODAY.isoformat()}"
    assert found["Subject"] == data.name
    assert found["Author"] == "officer"
    assert found["Creator"] == "Setu"
    assert MARKING in found["Keywords"] and "joint" in found["Keywords"]


def test_summary_notes(pack: tuple[Path, int]) -> None:
    pdf, _ = pack
    summary = text(pdf, 3)
    assert "3 records not releasable to this audience are excluded" in " ".join(summary.split())
    everything = " ".join(text(pdf).split())
    assert f"{RISKS_TOTAL - ANNEX_RISKS} of {RISKS_TOTAL} risks are left out" in everything
    assert "setu export risks --out risks.xlsx" in everything
    assert "setu export milestones" not in everything  # none were left out


def test_annex_table_repeats_its_header(pack: tuple[Path, int]) -> None:
    pdf, pages = pack
    with_header = [n for n in range(1, pages + 1) if "Proximity" in text(pdf, n)]
    assert len(with_header) >= 2
    for n in with_header:
        page = text(pdf, n)
        assert "Residual" in page and "Mitigation" in page


def test_first_pack_says_so(data: BriefingData, tmp_path: Path) -> None:
    out = tmp_path / "first.pdf"
    render(replace(data, changes=None, excluded_records=0), out)
    everything = " ".join(text(out).split())
    assert "first pack for this audience" in everything
    assert "not releasable" not in everything


def test_progress_is_reported_to_the_end(data: BriefingData, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    render(data, tmp_path / "p.pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@pytest.mark.parametrize("when", ["before", "during layout"])
def test_cancelled_render_leaves_no_file(data: BriefingData, tmp_path: Path, when: str) -> None:
    cancel = threading.Event()
    if when == "before":
        cancel.set()

    def progress(done: int, total: int) -> None:
        if done == len(SECTIONS):  # the story is built; the layout has not started
            cancel.set()

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        render(data, out, progress=progress, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_rates_render_exactly(data: BriefingData, tmp_path: Path) -> None:
    out = tmp_path / "rates.pdf"
    rate = RateLine("RUB", "INR", Decimal("0.9875"), None)
    render(replace(data, rates=(rate,)), out)
    assert "0.9875" in text(out) and "fixed at signature" in text(out)


def test_collected_demo_renders(demo: Path, tmp_path: Path) -> None:
    """The demo's own data as `collect` gathers it (long categories, real names) lays out."""
    with open_database(resolve(str(demo))) as db:
        collected, _ = collect(db, BriefRequest(as_of=TODAY))
    out = tmp_path / "demo.pdf"
    pages = render(collected, out)
    assert int(info(out)["Pages"]) == pages
    everything = text(out)
    for heading in HEADINGS:
        assert heading in everything
    subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)


def test_worst_first_keeps_the_given_order() -> None:
    items = ["a1", "c3", "b2", "d3", "e0"]
    assert worst_first(items, 3, lambda s: int(s[1])) == ["c3", "b2", "d3"]
    assert worst_first(items, 9, lambda s: int(s[1])) == items


def test_nothing_to_list_still_lays_out(data: BriefingData, tmp_path: Path) -> None:
    """An audience that sees no records of a kind gets sentences, not empty tables."""
    bare = replace(
        data,
        workstreams=(),
        milestones=(),
        milestones_total=0,
        trend=(),
        contracts=(),
        rates=(),
        top_risks=(),
        rising=(),
        risks=(),
        risks_total=0,
        overdue_actions=(),
        decisions=(),
        changes=replace(
            data.changes, rescored_risks=(), slipped_milestones=(), new_contributions=()
        )
        if data.changes
        else None,
    )
    out = tmp_path / "bare.pdf"
    render(bare, out)
    everything = " ".join(text(out).split())
    for sentence in (
        "No workstream is visible to this audience.",
        "No contract is visible to this audience.",
        "No decision is required from the reader in this pack.",
        "No action is overdue.",
        "No milestone has a reported forecast history yet.",
    ):
        assert sentence in everything
