"""The ``briefing`` command (also ``python -m analysis``).

Exit codes: 0 success, 2 bad input or usage (one clear paragraph, no traceback), 1 anything
unexpected.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import click

from . import config
from .exceptions import BriefingError, ParameterError
from .survey.sources.base import SOURCES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _check_writable(target: Path, option: str, *, beside: bool = False) -> None:
    """Refuse an output that cannot be written, before any work starts (exit 2, not a failed render).

    ``target`` is the folder (or, with ``beside``, the file or folder written all-or-nothing
    through a temporary sibling) that a command writes. The folder it is created in is tried by
    making and removing an empty temporary folder: the only way to know, whoever runs the tool.
    """
    from .survey.problems import describe_path

    target = Path(target)
    places = [target] if target.is_dir() and not beside else []
    if beside or not target.is_dir():
        ancestor = target.parent if beside else target
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise ParameterError(
                f"{option} {target}: cannot write there, because {ancestor} is {describe_path(ancestor)}. "
                f"Choose a folder you can write to with {option}."
            )
        places.append(ancestor)
    if beside and target.is_dir():
        places.append(target)  # its entries are moved when it is replaced
    for place in places:
        try:
            Path(tempfile.mkdtemp(prefix=".briefing-write-test-", dir=place)).rmdir()
        except OSError as exc:
            raise ParameterError(
                f"{option} {target}: cannot write in {place} ({exc.strerror or exc}). Choose a folder you can "
                f"write to with {option}."
            ) from None


def _check_regular_file(path: Path | None, option: str) -> None:
    """Refuse a file option that names a pipe, socket or device: reading one would wait for ever."""
    from .survey.problems import describe_path

    if path is not None and Path(path).exists() and not Path(path).is_file() and not Path(path).is_dir():
        raise ParameterError(f"{option} {path}: expected a file, found {describe_path(Path(path))}.")


def _check_stop_list(path: Path) -> None:
    """Refuse a stop list that is missing or not UTF-8 text, before any kernel starts."""
    try:
        Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"--stop-list {path}: file not found. Give a text file of names, one a line.") from None
    except UnicodeDecodeError:
        raise ParameterError(
            f"--stop-list {path}: expected UTF-8 text (names, one a line), found other bytes. Save it as UTF-8."
        ) from None
    except OSError as exc:
        raise ParameterError(f"--stop-list {path}: cannot be read ({exc.strerror or exc}).") from None


def _response_paths(responses: tuple[str, ...]) -> list[Path]:
    """Return the given response files, or the bundled sample when none are given."""
    return [Path(p) for p in responses] if responses else config.sample_files()


responses_option = click.option(
    "--responses",
    "-r",
    multiple=True,
    metavar="FILE",
    help="Survey export as the survey tool wrote it (SurveyXact dataset, folder, .zip or .xlsx; Qualtrics, "
    "LimeSurvey or Google Forms .csv/.tsv; Forms .xlsx; .sav; or our plain .csv/.xlsx); repeat for several "
    "waves. Default: the bundled synthetic sample.",
)
wave_option = click.option(
    "--wave",
    type=int,
    default=None,
    help="Survey year of files without a 'wave' column (no survey tool writes one); files with one keep theirs.",
)
sheet_option = click.option("--sheet", default=None, help="Sheet to read in .xlsx files (default: the first).")
min_n_option = click.option(
    "--min-n",
    type=int,
    default=config.DEFAULT_MIN_N,
    show_default=True,
    help="Minimum group size (at least 5); smaller department x value cells are hidden and pooled "
    "into 'Øvrige forvaltninger'.",
)


def reading_options(f):
    """Add the options that say how to read the exports: tool, mapping, department column, partials."""
    options = [
        click.option(
            "--source",
            type=click.Choice(["auto", *SOURCES]),
            default="auto",
            show_default=True,
            help="The survey tool that wrote the files; 'auto' detects it from each file.",
        ),
        click.option(
            "--mapping",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="A reviewed column mapping (YAML, as `briefing inspect --write-mapping` writes it).",
        ),
        click.option(
            "--department-column",
            default=None,
            metavar="HEADER",
            help="The header or question text of the department column, when it is not found by itself.",
        ),
        click.option(
            "--complete-only",
            is_flag=True,
            help="Leave out responses the tool marks as not finished (kept by default with their answers).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _reading(source: str, mapping: Path | None, department_column: str | None, complete_only: bool) -> dict:
    """Return the reading options as keyword arguments of load_responses (JSON-safe, for notebooks too)."""
    _check_regular_file(mapping, "--mapping")
    out: dict = {}
    if source and source != "auto":
        out["source"] = source
    if mapping is not None:
        out["mapping"] = str(Path(mapping).resolve())
    if department_column:
        out["department_column"] = department_column
    if complete_only:
        out["complete_only"] = True
    return out


#: Seeds are whole numbers from 0 (numpy's generators refuse negative ones).
SEED = click.IntRange(min=0)
seed_option = click.option("--seed", type=SEED, default=config.DEFAULT_SEED, show_default=True, help="Bootstrap seed.")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="kk-procurement-briefing")
def cli() -> None:
    """Procurement maturity survey -> briefing for Økonomiudvalget."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@wave_option
@sheet_option
@reading_options
@click.option(
    "--cases",
    "cases",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The case register to check with the files. Default: data/cases.yaml.",
)
def validate(files, wave, sheet, source, mapping, department_column, complete_only, cases) -> None:
    """Check survey files and the case register; print a data-quality report (exit 2 on problems)."""
    from .survey.cases import load_register
    from .survey.loading import load_responses

    reading = _reading(source, mapping, department_column, complete_only)
    survey = load_responses(list(files), default_wave=wave, sheet=sheet, **reading)
    click.echo(survey.quality.summary())
    register = load_register(cases)
    latest = register.latest_wave
    held = f"{len(register.cases_in(latest))} cases in the register of {latest}" if latest else "no cases"
    click.echo(f"\nCase register {register.source}: {held}.")
    click.echo("\nOK: the files can be scored.")


@cli.command()
@responses_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; tables go to OUT/tables/.",
)
@min_n_option
@seed_option
@click.option(
    "--resamples",
    type=click.IntRange(min=100),
    default=config.DEFAULT_RESAMPLES,
    show_default=True,
    help="Bootstrap resamples.",
)
@wave_option
@sheet_option
@reading_options
def score(
    responses, out, min_n, seed, resamples, wave, sheet, source, mapping, department_column, complete_only
) -> None:
    """Score the survey and write the tables (CSV and Excel) to OUT/tables/."""
    from .pipeline.output import atomic_directory, check_tables_folder
    from .pipeline.provenance import build_command_manifest, record_outputs, write_manifest
    from .stats.barriers import score_survey_barriers
    from .stats.changes import score_changes_to
    from .stats.disclosure import check_min_n
    from .stats.scoring import score_survey
    from .survey.codebook import load_codebook, load_departments
    from .survey.loading import load_responses
    from .tables.contract import write_tables
    from .tables.excel import write_excel

    check_min_n(min_n)
    _check_writable(out, "--out")
    started = time.perf_counter()
    paths = _response_paths(responses)
    reading = _reading(source, mapping, department_column, complete_only)
    survey = load_responses(paths, default_wave=wave, sheet=sheet, **reading)
    inputs = survey.quality.files_read() + ([Path(reading["mapping"])] if "mapping" in reading else [])
    out = Path(out)
    check_tables_folder(out / "tables", inputs)  # refuse before any work: never replace what we did not write
    for warning in survey.quality.warnings:
        click.echo(f"warning: {warning}", err=True)
    scores = score_survey(survey, min_n=min_n, seed=seed, resamples=resamples)  # its answers, not the long frame
    barriers = score_survey_barriers(
        survey, load_codebook(), load_departments(), min_n=min_n, seed=seed, resamples=resamples
    )
    out.mkdir(parents=True, exist_ok=True)
    changes = score_changes_to(scores, max(scores.waves))
    parameters = {
        "min_n": min_n,
        "seed": seed,
        "resamples": resamples,
        "wave": wave,
        "sheet": sheet,
        "reading": reading,
    }
    manifest = build_command_manifest(command="score", parameters=parameters, inputs=inputs)
    with atomic_directory(out / "tables") as tmp:
        written = write_tables(scores, tmp, changes=changes, barriers=barriers)
        written.append(write_excel(scores, tmp, changes=changes, barriers=barriers))
        written.append(write_manifest(tmp, record_outputs(tmp, manifest, finished=datetime.now(UTC))))
    for name in sorted(p.name for p in written):
        click.echo(f"wrote {out / 'tables' / name}")
    click.echo(
        f"scored {survey.respondents['respondent_id'].nunique()} respondents in {time.perf_counter() - started:.1f} s"
    )


@cli.command()
@responses_option
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder of the briefing (replaced as a whole); profiles go to OUT/departments/<CODE>/. "
    "Default: reports/<wave>/.",
)
@click.option(
    "--wave",
    type=int,
    default=None,
    help="Survey year to brief on, and the year of files without a wave column. Default: the latest in the data.",
)
@click.option(
    "--department",
    default=None,
    metavar="CODE|all",
    help="Render one department's profile (code or name), or 'all': the briefing and every profile.",
)
@min_n_option
@seed_option
@click.option(
    "--lang",
    type=click.Choice(config.LANGUAGES),
    default="da",
    show_default=True,
    help="Language of the documents. en writes briefing.en.*, profile.en.*, tables.en/ and manifest.en.json "
    "beside the Danish files and leaves those untouched.",
)
@click.option("--formats", default="html,pdf,docx", show_default=True, help="Comma-separated: html, pdf, docx.")
@click.option(
    "--word-template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A .docx whose styles (fonts, headings, margins) the Word documents take: the municipality's own template.",
)
@click.option("--title", default="", help="Title of the briefing. Default: 'Modenhed i indkøbet <wave>: ...'.")
@click.option("--economy-text", default="", help="Text of the Økonomi section.")
@click.option("--next-steps-text", default="", help="Text of the Videre proces section.")
@click.option(
    "--texts",
    "texts",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Markdown file with your own texts: ## Indstilling, ## Resumé, ## Sagsfremstilling (added), "
    "## Økonomi, ## Videre proces (replacing the standard sentence).",
)
@click.option(
    "--quotes",
    is_flag=True,
    help="Show a few short quotes per theme of the open answers in the Bilag, redacted (e-mail addresses, phone "
    "and CPR numbers, links, names) and only from groups of min-n or more. Off by default.",
)
@click.option(
    "--stop-list",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Text file of names (staff, units; one a line, # comments) that redaction removes from quotes, besides "
    "the department names.",
)
@click.option("--force", is_flag=True, help="Render even when the output is up to date.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel renders for --department all. Default: the number of cores.",
)
@sheet_option
@reading_options
def render(
    responses,
    out,
    wave,
    department,
    min_n,
    seed,
    lang,
    formats,
    word_template,
    title,
    economy_text,
    next_steps_text,
    texts,
    quotes,
    stop_list,
    force,
    workers,
    sheet,
    source,
    mapping,
    department_column,
    complete_only,
) -> None:
    """Render the committee briefing (HTML, PDF, executed notebook, tables, manifest) into OUT."""
    from .pipeline.batch import plan_jobs, raise_for_failures, run_jobs, summary_table
    from .pipeline.lifecycle import temporary_files_in_session
    from .stats.disclosure import check_min_n
    from .survey.codebook import load_departments
    from .survey.loading import load_responses

    check_min_n(min_n)
    _check_regular_file(texts, "--texts")
    _check_regular_file(word_template, "--word-template")
    _check_regular_file(stop_list, "--stop-list")
    if stop_list is not None:
        _check_stop_list(stop_list)
    if out is not None:
        _check_writable(out, "--out", beside=True)  # the default folder is tried once the wave is known
    if texts is not None:
        from .report.texts import load_texts

        load_texts(texts)  # a bad texts file is a clear error before any kernel starts
    from .survey.cases import load_register

    if config.CASES_PATH.exists():
        load_register()  # so is a bad case register: the briefing lists its cases
    paths = _response_paths(responses)
    reading = _reading(source, mapping, department_column, complete_only)
    # Check the data here, before a kernel starts: bad input gets the same clear message and
    # exit code as `briefing validate`, not a failed notebook cell. --wave names the year of
    # files without a wave column; files with one keep theirs.
    survey = load_responses(paths, sheet=sheet, default_wave=wave, **reading)
    waves = survey.quality.waves
    if wave is None:
        wave = max(waves)
    elif wave not in waves:
        raise ParameterError(
            f"--wave {wave} is not in the data; the files have the waves {', '.join(map(str, waves))}."
        )
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    if out is None:
        out = config.REPORTS_DIR / str(wave)
        _check_writable(out, "--out", beside=True)
    out = Path(out)
    jobs = plan_jobs(
        paths,
        wave=wave,
        out=out,
        department=department,
        departments=load_departments(),
        min_n=min_n,
        seed=seed,
        lang=lang,
        formats=wanted,
        title=title,
        economy_text=economy_text,
        next_steps_text=next_steps_text,
        sheet=sheet,
        reading=reading,
        files_read=survey.quality.files_read() + ([Path(reading["mapping"])] if "mapping" in reading else []),
        texts=texts or "",
        word_template=word_template or "",
        quotes=quotes,
        stop_list=stop_list or "",
    )
    click.get_current_context().with_resource(temporary_files_in_session())
    results = run_jobs(jobs, workers=workers, force=force)
    if len(results) == 1:
        result = results[0]
        if result.status == "up to date":
            click.echo(f"{result.job.out_dir} is up to date: {result.message}.")
        for path in result.paths.values():
            click.echo(f"wrote {path}")
    else:
        click.echo(summary_table(results))
        skipped = sum(r.status == "up to date" for r in results)
        if skipped:
            click.echo(
                f"{skipped} up to date (same notebook, data, codebook, parameters and code); "
                "use --force to render again."
            )
    raise_for_failures(results)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@wave_option
@sheet_option
@reading_options
@click.option(
    "--write-mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the mapping found as YAML to review, edit and pass back with --mapping.",
)
def inspect(files, wave, sheet, source, mapping, department_column, complete_only, write_mapping) -> None:
    """Show how survey exports are read: the tool, each column's role, answer codes, rows left out."""
    from .survey.inspect import MAPPING_MARK, inspect_exports

    reading = _reading(source, mapping, department_column, complete_only)
    report = inspect_exports(list(files), default_wave=wave, sheet=sheet, **reading)
    click.echo(report.summary())
    if write_mapping is not None:
        target = Path(write_mapping)
        resolved = {Path(f).resolve() for f in files}
        if target.resolve() in resolved or (mapping is not None and target.resolve() == Path(mapping).resolve()):
            raise ParameterError(f"--write-mapping {target} is an input file; name a new file.")
        _check_writable(target, "--write-mapping", beside=True)
        if target.exists():
            try:
                first = target.read_text(encoding="utf-8").split("\n", 1)[0]
            except (OSError, UnicodeDecodeError):
                first = ""
            if not first.startswith(MAPPING_MARK):
                raise ParameterError(
                    f"--write-mapping {target} exists and was not written by this tool; name a new file."
                )
        text = report.mapping_yaml()
        if text:
            from .tables.atomic import atomic_write

            atomic_write(target, text)
            click.echo(f"\nwrote {target}: check it, edit it, and pass it with --mapping {target}")
    if report.problems:
        n = report.problem_count
        raise ParameterError(
            f"{n:,} problem{'s' if n != 1 else ''} (listed above): the files cannot be scored as they are."
        )


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write responses_<wave>.csv and README.md into.",
)
@click.option("--seed", type=SEED, default=config.DEFAULT_SEED, show_default=True)
def sample(out: Path, seed: int) -> None:
    """Write the synthetic sample survey (waves 2023-2025), reproducible from the seed."""
    from .survey.sample import write_sample

    _check_writable(out, "--out")
    for path in write_sample(out, seed=seed):
        click.echo(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, turning known errors into a clear message.

    SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the run cleanly: the render in progress is
    abandoned (its temporary folder removed, its kernels and worker processes stopped, the
    output left as it was) and the exit code is 128 + the signal's number (130, 143, 129).
    """
    from .pipeline import lifecycle

    with lifecycle.handling_signals():
        try:
            return _main(argv)
        except KeyboardInterrupt as exc:
            return _interrupted(exc)


def _interrupted(exc: BaseException) -> int:
    """Stop what is left of an interrupted run, say so, and return 128 + the signal's number."""
    import signal

    from .pipeline import lifecycle

    signum = getattr(exc, "signum", signal.SIGINT)
    lifecycle.stop_kernels()
    click.echo(
        f"Interrupted ({signal.Signals(signum).name}): stopped; outputs being written were left as they were.", err=True
    )
    return 128 + int(signum)


def _main(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="briefing", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            return _interrupted(exc.__context__)
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:  # usage errors: unknown option, bad value
        exc.show()
        return 2
    except BriefingError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 2
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except Exception as exc:
        click.echo(
            f"Unexpected error ({type(exc).__name__}): {exc}\n"
            "This is a bug in the tool, not in your data. Set BRIEFING_DEBUG=1 to see the traceback.",
            err=True,
        )
        if _debug():
            raise
        return 1
    return 0


def _debug() -> bool:
    import os

    return os.environ.get("BRIEFING_DEBUG") == "1"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
