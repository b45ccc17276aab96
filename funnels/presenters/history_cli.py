"""``manage.py funnel history|diff|restore`` — a funnel's versions from the command line (registered by
``funnels/management/commands/funnel.py``, worked out here so that the command stays one screen of dispatch).

Exit codes as the other subcommands: 0 when the version in question (the newest for ``history``, the later one for
``diff``, the result for ``restore``) has no errors, 1 when it has, 2 when the input cannot be used (an unknown
practice, funnel or version; a restore whose offers changed since and no choice made), said in one line.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from accounts.audit import COMMAND_LINE
from accounts.models import Practice
from accounts.selectors import practice_get
from funnels.domain.diff import diff_plans
from funnels.interchange.snapshots import unpack_text
from funnels.models import Funnel, FunnelVersion
from funnels.presenters.cli import finding_line
from funnels.presenters.history import diff_data, diff_view, money, sentence, version_data
from funnels.selectors import VersionNotFound, funnel_get, version_get, version_list
from funnels.services.editing import FunnelEditError
from funnels.services.restore import restore_check, version_plan, version_restore

EXIT_OK, EXIT_ERRORS = 0, 1


class Out(Protocol):
    """Where the lines go: the command's ``stdout`` (each line given with its own newline)."""

    def write(self, msg: str) -> None: ...


class HistoryUnusable(FunnelEditError):
    """What was asked of the history cannot be done; the message says why (exit 2)."""


def add_history_arguments(sub: Any) -> None:
    """The three subparsers, on the command's ``add_subparsers`` object."""
    history = sub.add_parser("history", help="List a funnel's versions, newest first.")
    history.add_argument("slug", help="the funnel's slug")
    history.add_argument("--practice", required=True, help="the practice's slug")
    history.add_argument("--limit", type=int, default=20, help="how many versions (default 20)")
    history.add_argument("--json", action="store_true", help="print one JSON object")
    diff = sub.add_parser("diff", help="What changed between two versions, and what it did to the AOV.")
    diff.add_argument("slug", help="the funnel's slug")
    diff.add_argument("a", type=int, help="a version number")
    diff.add_argument("b", type=int, help="another version number")
    diff.add_argument("--practice", required=True, help="the practice's slug")
    diff.add_argument("--json", action="store_true", help="print one JSON object")
    restore = sub.add_parser("restore", help="Restore a version as the funnel's next version.")
    restore.add_argument("slug", help="the funnel's slug")
    restore.add_argument("version", type=int, help="the version to restore")
    restore.add_argument("--practice", required=True, help="the practice's slug")
    choice = restore.add_mutually_exclusive_group()
    choice.add_argument(
        "--as-it-was",
        action="append",
        default=[],
        metavar="KEY",
        help="put this catalog offer back as the version had it (repeatable; 'all' for every changed offer)",
    )
    choice.add_argument("--keep-today", action="store_true", help="use every changed offer as the catalog has it")


def _funnel(options: dict[str, Any]) -> tuple[Practice, Funnel]:
    practice = practice_get(slug=options["practice"])
    return practice, funnel_get(practice=practice, slug=options["slug"])


def _version(funnel: Funnel, number: int) -> FunnelVersion:
    try:
        return version_get(practice=funnel.practice, funnel=funnel, number=number)
    except VersionNotFound as missing:
        raise HistoryUnusable(str(missing)) from None


def run_history(options: dict[str, Any], out: Out) -> int:
    practice, funnel = _funnel(options)
    limit = options["limit"]
    if not 1 <= limit <= 10_000:
        raise HistoryUnusable(f"--limit must be between 1 and 10,000, not {limit}")
    versions = list(version_list(practice=practice, funnel=funnel)[:limit])
    if options["json"]:
        data = {"funnel": funnel.slug, "version": funnel.version, "versions": [version_data(v) for v in versions]}
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for v in versions:
            who = v.actor.get_username() if v.actor is not None else v.actor_label
            figures = f"AOV {money(v.aov, funnel.currency)}, {v.error_count} errors, {v.warning_count} warnings"
            out.write(f"{v.number:>5}  {v.created_at:%Y-%m-%d %H:%M}  {who}  {figures}  {sentence(v.summary)}\n")
    return EXIT_ERRORS if versions and versions[0].error_count else EXIT_OK


def run_diff(options: dict[str, Any], out: Out) -> int:
    practice, funnel = _funnel(options)
    older, newer = sorted((options["a"], options["b"]))
    before, after = _version(funnel, older), _version(funnel, newer)
    diff = diff_plans(version_plan(practice=practice, version=before), version_plan(practice=practice, version=after))
    view = diff_view(diff, funnel.currency)
    if options["json"]:
        data = diff_data(diff, funnel=funnel.slug, a=older, b=newer)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(f"{funnel.name}: version {older} → version {newer}\n")
        out.write(f"  AOV                {view.aov_before} → {view.aov_after} ({view.aov_difference})\n")
        out.write(f"  Revenue per buyer  {view.revenue_before} → {view.revenue_after} ({view.revenue_difference})\n")
        for section in view.sections:
            out.write(f"{section.title}:\n" + "".join(f"  {line}\n" for line in section.lines))
        for title, found in (("Findings gained", view.gained), ("Findings lost", view.lost)):
            if found:
                out.write(f"{title}:\n" + "".join(f"  {finding_line(f)}\n" for f in found))
        if view.steps:
            out.write("Expected revenue per buyer:\n")
            for line in view.steps:
                out.write(f"  {line.offer} ({line.where}): {line.before} → {line.after} ({line.difference})\n")
        if view.nothing_changed:
            out.write("Nothing changed between these versions.\n")
    return EXIT_ERRORS if after.error_count else EXIT_OK


def run_restore(options: dict[str, Any], out: Out) -> int:
    practice, funnel = _funnel(options)
    version = _version(funnel, options["version"])
    plan = version_plan(practice=practice, version=version)
    drifts = restore_check(practice=practice, plan=plan)
    changed = [d for d in drifts if not d.gone]
    chosen = set(options["as_it_was"])
    if "all" in chosen:
        chosen = {d.key for d in changed}
    unknown = chosen - {d.key for d in changed}
    if unknown:
        raise HistoryUnusable(f"--as-it-was {', '.join(sorted(unknown))}: not an offer that changed since")
    if changed and not chosen and not options["keep_today"]:
        listed = "; ".join(f"{d.key} ({', '.join(d.differences)})" for d in changed)
        raise HistoryUnusable(
            f"offers changed since version {version.number}: {listed}; say --as-it-was KEY (or all) or --keep-today"
        )
    restored = version_restore(
        funnel=funnel,
        expected_version=funnel.version,
        version=version,
        restore_offers=[*chosen, *(d.key for d in drifts if d.gone)],
        actor=COMMAND_LINE,
    )
    counts = f"{restored.error_count} errors, {restored.warning_count} warnings"
    figures = f"AOV {money(restored.aov, funnel.currency)}, {counts}"
    out.write(f'Restored version {version.number} of "{funnel.name}" as version {restored.number}: {figures}.\n')
    return EXIT_ERRORS if restored.error_count else EXIT_OK


def version_text(*, practice: Practice, funnel: Funnel, number: int) -> str:
    """``funnel export SLUG --version N``: the version as the interchange file it was kept as."""
    version = _version(funnel, number)
    if not version.snapshot:
        raise HistoryUnusable(f"version {number} was kept without its contents")
    return unpack_text(version.snapshot)
