"""``manage.py funnel check|aov|import|export`` — the engine from the command line (DESIGN §5).

Exit codes: 0 no findings or warnings only, 1 the funnel has errors, 2 the input could not be used (the
message says what and where; nothing is written). Never a traceback for a bad file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from accounts.audit import COMMAND_LINE
from accounts.models import Practice
from accounts.selectors import PracticeNotFound, practice_get
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Finding, Tally
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics, project, scenarios
from funnels.domain.plan import FunnelPlan
from funnels.forms import clean_slug
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.interchange.problems import FunnelFileError
from funnels.presenters.actuals_cli import add_actuals_arguments, run_actuals
from funnels.presenters.cli import finding_data, finding_line, has_errors, metrics_data, metrics_lines, tally_line
from funnels.presenters.history_cli import add_history_arguments, run_diff, run_history, run_restore, version_text
from funnels.selectors import FunnelNotFound, funnel_get
from funnels.services.editing import FunnelEditError
from funnels.services.transfer import funnel_export, funnel_import, read_plan
from offers.selectors import copy_acknowledgements

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
MAX_BUYERS = 1_000_000_000


class Unusable(Exception):
    """Input the command cannot use; the message says what and where."""


class Command(BaseCommand):
    help = "Check a funnel file, forecast its AOV, or import/export funnels in the interchange format."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = "{check,aov,import,export,actuals,history,diff,restore}"
        sub = parser.add_subparsers(dest="action", required=True, metavar=actions)
        check = sub.add_parser("check", help="List the timing and honesty findings of a funnel file.")
        check.add_argument("file", help="a funnel JSON file, or - for standard input")
        check.add_argument("--practice", help="use this practice's thresholds, and mark the findings it acknowledged")
        aov = sub.add_parser("aov", help="The funnel's exact AOV, per-step figures and a projection.")
        aov.add_argument("file", help="a funnel JSON file, or - for standard input")
        aov.add_argument("--buyers", type=int, default=1000, help="buyers for the projection (default 1000)")
        aov.add_argument("--json", action="store_true", help="print one JSON object")
        aov.add_argument("--practice", help="use this practice's thresholds")
        imp = sub.add_parser("import", help="Create a funnel (and missing catalog offers) from a file.")
        imp.add_argument("file", help="a funnel JSON file, or - for standard input")
        imp.add_argument("--practice", required=True, help="the practice's slug")
        imp.add_argument("--slug", help="the new funnel's slug (default: from its name)")
        exp = sub.add_parser("export", help="Print a funnel as interchange JSON.")
        exp.add_argument("slug", help="the funnel's slug")
        exp.add_argument("--practice", required=True, help="the practice's slug")
        exp.add_argument("--output", "-o", help="write to this file instead of standard output")
        exp.add_argument("--version", type=int, help="export this version of the funnel (funnel history lists them)")
        add_history_arguments(sub)
        add_actuals_arguments(sub.add_parser("actuals", help="Observed take rates from an orders file (orders@1)."))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            code = getattr(self, f"do_{action}")(options)
        except FunnelFileError as error:
            for problem in error.problems:
                self.stderr.write(f"{_source(options)}: {problem}")
            code = EXIT_UNUSABLE
        except (Unusable, PracticeNotFound, FunnelNotFound, FunnelEditError) as error:
            self.stderr.write(f"{_source(options)}: {error}")
            code = EXIT_UNUSABLE
        if code:
            sys.exit(code)

    def do_check(self, options: dict[str, Any]) -> int:
        practice = _practice(options)
        plan = read_plan(raw=_read(options["file"]), practice=practice)
        findings = _checked(plan, practice)
        for finding in findings:
            self.stdout.write(finding_line(finding))
        tally = Tally.of(findings)
        self.stderr.write(tally_line(plan.name, tally))
        return EXIT_ERRORS if tally.errors else EXIT_OK

    def do_aov(self, options: dict[str, Any]) -> int:
        buyers = options["buyers"]
        if not 1 <= buyers <= MAX_BUYERS:
            raise Unusable(f"--buyers must be between 1 and {MAX_BUYERS:,}, not {buyers}")
        practice = _practice(options)
        plan = read_plan(raw=_read(options["file"]), practice=practice)
        findings = _checked(plan, practice)
        try:
            metrics = compute_metrics(plan)
        except UncomputableFunnel as error:
            return self._uncomputable(plan, findings, str(error), options["json"])
        projection, cases = project(metrics, buyers), scenarios(plan)
        if options["json"]:
            data = {"name": plan.name, **metrics_data(metrics, projection, cases)}
            data["findings"] = [finding_data(f) for f in findings]
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            for line in metrics_lines(plan.name, metrics, projection, cases):
                self.stdout.write(line)
            if findings:
                self.stdout.write("")
                for finding in findings:
                    self.stdout.write(finding_line(finding))
        return EXIT_ERRORS if has_errors(findings) else EXIT_OK

    def _uncomputable(self, plan: FunnelPlan, findings: tuple[Any, ...], reason: str, as_json: bool) -> int:
        if as_json:
            data = {
                "name": plan.name,
                "currency": plan.currency,
                "aov": None,
                "error": reason,
                "findings": [finding_data(f) for f in findings],
            }
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(f"{plan.name}: the AOV cannot be worked out: {reason}")
            for finding in findings:
                self.stdout.write(finding_line(finding))
        return EXIT_ERRORS

    def do_actuals(self, options: dict[str, Any]) -> int:
        return run_actuals(options, _read(options["file"]), self.stdout, self.stderr)

    def do_history(self, options: dict[str, Any]) -> int:
        return run_history(options, self.stdout)

    def do_diff(self, options: dict[str, Any]) -> int:
        return run_diff(options, self.stdout)

    def do_restore(self, options: dict[str, Any]) -> int:
        return run_restore(options, self.stdout)

    def do_import(self, options: dict[str, Any]) -> int:
        slug = _slug(options.get("slug"))
        practice = practice_get(slug=options["practice"])
        result = funnel_import(practice=practice, raw=_read(options["file"]), slug=slug, actor=COMMAND_LINE)
        funnel = result.funnel
        self.stdout.write(
            f'Imported "{funnel.name}" into {practice.slug} as "{funnel.slug}": '
            f"{len(result.offers_created)} offers created, {len(result.offers_reused)} taken from the catalog."
        )
        return EXIT_OK

    def do_export(self, options: dict[str, Any]) -> int:
        practice = practice_get(slug=options["practice"])
        funnel = funnel_get(practice=practice, slug=options["slug"])
        if options.get("version") is not None:
            text = version_text(practice=practice, funnel=funnel, number=options["version"])
        else:
            text = funnel_export(practice=practice, funnel=funnel)
        if options.get("output"):
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as error:
                raise Unusable(f"cannot write {options['output']}: {error.strerror}") from None
        else:
            self.stdout.write(text, ending="")
        return EXIT_OK


def _source(options: dict[str, Any]) -> str:
    return options.get("file") or options.get("slug") or "funnel"


def _slug(wanted: str | None) -> str | None:
    """``--slug`` checked as the browser's import form checks it: never cut short or changed silently."""
    if wanted is None:
        return None
    try:
        slug = clean_slug(wanted)
    except ValidationError as refused:
        raise Unusable(f"--slug {wanted!r}: {' '.join(refused.messages)}") from None
    if not slug:
        raise Unusable("--slug: give the funnel's address, or leave --slug out to make one from its name")
    return slug


def _checked(plan: FunnelPlan, practice: Practice | None) -> tuple[Finding, ...]:
    """The plan's findings; with ``--practice``, those a coach acknowledged on the same copy are marked (an offer
    of the file is that practice's offer of the same key, acknowledged only while its words are the same)."""
    findings = check_funnel(plan)
    if practice is None:
        return findings
    return acknowledge(findings, copy_acknowledgements(practice=practice, keys=[o.key for o in plan.offers]))


def _practice(options: dict[str, Any]) -> Practice | None:
    slug = options.get("practice")
    return practice_get(slug=slug) if slug else None


def _read(name: str) -> bytes:
    """At most one byte past the limit is read, so a huge file is refused without filling memory."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        with Path(name).open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise Unusable("no such file") from None
    except IsADirectoryError:
        raise Unusable("is a folder, not a file") from None
    except OSError as error:
        raise Unusable(f"cannot be read: {error.strerror}") from None
