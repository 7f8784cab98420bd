"""Issue 19: only planning offices plan and publish; a station hears only its office's plan."""

from __future__ import annotations

from tests.cli.test_plan_cli import WEEK, office  # noqa: F401  (the example office fixture)


def test_a_commune_cannot_plan_or_publish_and_is_told_its_office(cli, office):  # noqa: F811
    planned = cli("plan", "week", "--office", "XA-DAKMIL", "--week", WEEK)
    assert planned.exit_code == 1
    assert "XA-DAKMIL" in planned.stderr and "không phải đơn vị lập kế hoạch" in planned.stderr
    assert "--office KV-DAKMIL" in planned.stderr
    published = cli("plan", "publish", "--office", "XA-DAKMIL", "--week", WEEK, "--by", "A")
    assert published.exit_code == 1 and "KV-DAKMIL" in published.stderr


def test_a_station_receives_its_offices_published_plan(cli, office):  # noqa: F811
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    shown = cli("playlist", "show", "--station", "XA-DAKMIL", "--date", "2030-03-05")
    assert shown.exit_code == 0, shown.stderr
    assert "KV-DAKMIL" not in shown.stderr
