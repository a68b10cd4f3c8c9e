"""The guide coverage map: complete, consistent with the registry and with the guide."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsbp import guide_coverage as gc
from awsbp.registry import all_rules, get_rule

ROOT = Path(__file__).resolve().parent.parent
# CI lays the shared folder next to the checkout; it is not part of the repository.
GUIDE = ROOT.parent / "shared" / "guide.md"
GUIDE_AREAS = (
    "AWS SDK (boto3) Optimization",
    "Python Code Standards",
    "Security Best Practices",
    "Packaging and Deployment",
    "Monitoring & Observability",
    "Error Handling",
    "Performance Optimization",
    "Lambda-Specific Best Practices",
    "Docker Best Practices",
    "Testing and Validation",
    "Quick Reference Checklist",
)


def test_every_section_and_item_has_an_entry() -> None:
    assert tuple(dict.fromkeys(s.area for s in gc.OUTLINE)) == GUIDE_AREAS
    keys = [s.key for s in gc.OUTLINE]
    assert len(keys) == len(set(keys)), "a sub-section is listed twice"
    for section in gc.OUTLINE:
        assert section.items, f"{section.key} has no items"
        texts = [i.text for i in section.items]
        assert len(texts) == len(set(texts)), f"{section.key} lists an item twice"
        for item in section.items:
            assert item.awsbp or item.families or item.linters or item.outside, (
                f"{section.key} › {item.text}: no awsbp rule, linter or reason given"
            )


def test_every_mapped_awsbp_code_exists() -> None:
    codes = {r.code for r in all_rules()}
    missing = sorted(gc.mapped_codes() - codes)
    assert not missing, f"guide_coverage.py maps codes the registry does not have: {missing}"


def test_every_rule_names_a_known_section_and_is_on_the_page() -> None:
    stray = [(r.code, key) for r, key in gc.unplaced_rules(all_rules())]
    assert not stray, f"rules whose guide_section is not a sub-section of the guide: {stray}"
    page = gc.coverage_page()
    for rule in all_rules():
        assert f"[{rule.code}](rules/{rule.code}.md)" in page, rule.code


def test_outline_matches_the_guide() -> None:
    if not GUIDE.is_file():
        pytest.skip(f"the guide is not at {GUIDE}")
    parsed = gc.outline_from_markdown(GUIDE.read_text(encoding="utf-8"))
    assert [(a, s) for a, s, _ in parsed] == [(s.area, s.title) for s in gc.OUTLINE]
    for (area, title, items), section in zip(parsed, gc.OUTLINE, strict=True):
        shipped = {i.text for i in section.items}
        missing = [i for i in items if i not in shipped]
        assert not missing, f"{area} › {title}: guide items not in the outline: {missing}"


def test_outline_parser_skips_code_and_contents() -> None:
    text = "\n".join([
        "# Title", "", "## Table of Contents", "", "- [A](#a)", "",
        "## Area", "", "### Sub", "", "- **Do this** because", "  - **nested** no",
        "", "  ```python", "  - **in code** no", "  ```", "", "### Docker", "",
        "```dockerfile", "# Use slim base images", "## not a heading", "```", "",
        "## Checklist", "", "### Before", "", "- [ ] Tests pass", "- [x] Docs",
    ])
    assert gc.outline_from_markdown(text) == [
        ("Area", "Sub", ("Do this",)),
        ("Area", "Docker", ()),
        ("Checklist", "Before", ("Tests pass", "Docs")),
    ]


def test_rules_attach_by_section_and_hint() -> None:
    rule = get_rule("AWSBP101")
    multi = rule.replace(
        guide_section="Error Handling › Response Standards (return informative HTTP "
        "responses); AWS SDK (boto3) Optimization › Data Handling › Use paginators",
    )
    assert gc.section_refs(multi) == [
        ("Error Handling › Response Standards", "return informative HTTP responses"),
        ("AWS SDK (boto3) Optimization › Data Handling", "Use paginators"),
    ]
    sections = {s.key: s for s in gc.OUTLINE}
    response = sections["Error Handling › Response Standards"]
    data = sections["AWS SDK (boto3) Optimization › Data Handling"]
    assert multi in gc.section_rules(response, [multi])
    assert multi in gc.section_rules(data, [multi])
    by_text = {i.text: i for i in response.items + data.items}
    assert multi in gc.item_rules(response, by_text["Return informative HTTP responses"], [multi])
    assert multi in gc.item_rules(data, by_text["Use paginators"], [multi])
    assert multi not in gc.item_rules(data, by_text["Use multipart uploads"], [multi])
    beyond = rule.replace(guide_section="Beyond the guide: botocore data")
    assert gc.section_refs(beyond) == []
    assert gc.unplaced_rules([rule.replace(guide_section="Error Handling › Nope")]) == [
        (rule.replace(guide_section="Error Handling › Nope"), "Error Handling › Nope")
    ]


def test_page_has_summary_sections_and_companion_config() -> None:
    page = gc.coverage_page()
    assert page.startswith("# Guide coverage\n")
    for area in GUIDE_AREAS:
        assert f"\n## {area}\n" in page
    assert "\n## Companion configuration\n" in page
    assert "extend-select = B904" in page and "pylint_awsbp" in page
    assert "hadolint" in page and "coverage.py" in page and "pip-audit" in page
