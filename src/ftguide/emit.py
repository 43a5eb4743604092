"""``suggest --emit``: render the run's files and put them where ``-o`` says, or the one file on stdout.

Files written under ``-o`` are started from that folder, so every relative path the user gave (the dataset, a
local model folder) is rewritten relative to it; on stdout the run starts where ftguide ran, and paths stay
as typed.
"""

from __future__ import annotations

import os
from pathlib import Path

from ftguide.engine import field_reasons
from ftguide.errors import InputError
from ftguide.files import output_paths, write_files
from ftguide.models import Profile, SuggestResult
from ftguide.render import bundle
from ftguide.streams import note, write_stdout
from ftguide.targets import TargetName, get_target


def rebase(path: str, folder: Path, *, only_existing: bool) -> str:
    """``path`` (relative to the current folder) as seen from ``folder``; absolute paths stay as they are.

    ``only_existing``: rewrite only a path that exists here (a model spec that is no local folder is a hub id).
    """
    if os.path.isabs(path) or path.startswith("~"):
        return path
    if only_existing and not os.path.exists(path):
        return path
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    if only_existing and not relative.startswith("."):  # "./name", so that nobody reads it as a hub id
        relative = f"./{relative}"
    return relative


def rebased_profile(profile: Profile, folder: Path) -> Profile:
    """The profile as the files in ``folder`` must say it: its dataset and local model paths seen from there.

    Only paths that exist here are rewritten: a dataset or model path that names nothing yet (the default
    ``data/train.jsonl``) is where the user means it to be, seen from the run's folder.
    """
    changes = {
        "dataset_path": rebase(profile.dataset_path, folder, only_existing=True),
        "base_model": rebase(profile.base_model, folder, only_existing=True),
    }
    return profile.model_copy(update=changes)


def emit_bundle(result: SuggestResult, target: TargetName, output: str | None, *, force: bool) -> None:
    """``suggest --emit``: the rendered file on stdout, or every file of the run under ``-o``."""
    spec = get_target(target)
    inputs = result.inputs.model_dump(mode="json")
    why = field_reasons(result.decisions)
    files, _ = bundle(result.profile, target, inputs=inputs, decisions=result.decisions, why=why)
    if output is None:
        if len(files) > 1:
            raise InputError(
                f"-o: --emit {target} on {result.profile.num_gpus} GPUs writes {len(files)} files "
                f"({', '.join(files)}); give -o FOLDER"
            )
        write_stdout(files[spec.file_name])
        return
    paths, folder = output_paths(output, list(files), spec.file_name)
    profile = rebased_profile(result.profile, folder)
    files, launch = bundle(
        profile, target, inputs=inputs, decisions=result.decisions, why=why, main_name=paths[spec.file_name].name
    )
    write_files({paths[name]: text for name, text in files.items()}, force=force)
    for path in paths.values():
        note(f"wrote {path}")
    note(f"start the run (in {folder}): {launch}")
