"""``suggest --emit``: render the run's files and put them where ``-o`` says, or the one file on stdout."""

from __future__ import annotations

from ftguide.engine import field_reasons
from ftguide.errors import InputError
from ftguide.files import output_paths, write_files
from ftguide.models import SuggestResult
from ftguide.render import bundle
from ftguide.streams import note, write_stdout
from ftguide.targets import TargetName, get_target


def emit_bundle(result: SuggestResult, target: TargetName, output: str | None, *, force: bool) -> None:
    """``suggest --emit``: the rendered file on stdout, or every file of the run under ``-o``."""
    spec = get_target(target)
    inputs = result.inputs.model_dump(mode="json")
    files, _ = bundle(
        result.profile, target, inputs=inputs, decisions=result.decisions, why=field_reasons(result.decisions)
    )
    if output is None:
        if len(files) > 1:
            raise InputError(
                f"-o: --emit {target} on {result.profile.num_gpus} GPUs writes {len(files)} files "
                f"({', '.join(files)}); give -o FOLDER"
            )
        write_stdout(files[spec.file_name])
        return
    paths, folder = output_paths(output, list(files), spec.file_name)
    write_files({paths[name]: text for name, text in files.items()}, force=force)
    for path in paths.values():
        note(f"wrote {path}")
    _, launch = bundle(result.profile, target, main_name=paths[spec.file_name].name)
    note(f"start the run (in {folder}): {launch}")
