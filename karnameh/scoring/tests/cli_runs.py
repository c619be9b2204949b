"""The ``karnameh score`` runs of test_cli, started together and as early as possible.

Each run starts Django, about a second of processor time. Started one after the other they
would be most of the engine suite's time; started together when collection ends (see
conftest.py) they proceed alongside the in-process tests, and test_cli only waits for what is
left. ``results()`` starts them itself when the hook did not (test_cli run on its own).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
CATALOGUE = DATA / "contract-catalogue.yaml"
KARNAMEH = Path(sys.executable).with_name("karnameh")


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    catalogue: Path
    answers: Path


def _files(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Every run: name → (catalogue, answers)."""
    good = CATALOGUE.read_text(encoding="utf-8")

    def write(name: str, content: str) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    answers = DATA / "contract-answers.json"
    unknown = '{"gauges": {"1.1.1": {"score": 1}, "3.1.1": {"score": 1}}}'
    return {
        "full": (CATALOGUE, answers),
        "partial": (CATALOGUE, DATA / "partial-answers.json"),
        "catalogue yaml error": (
            write("syntax.yaml", good.replace("rule: {kind: judgement}", "rule: {kind: judgement")),
            answers,
        ),
        "catalogue sums wrong": (
            write("sums.yaml", good.replace("max_score: 15", "max_score: 16")),
            answers,
        ),
        "answers missing": (CATALOGUE, folder / "nowhere.json"),
        "answers not json": (CATALOGUE, write("broken.json", '{"gauges": {\n  "1.1.1": {,\n}}')),
        "answers unknown gauge": (CATALOGUE, write("unknown.json", unknown)),
    }


_started: dict[str, tuple[subprocess.Popen[bytes], Path, Path]] = {}
_finished: dict[str, Run] = {}
_folder: list[Path] = []


def start() -> None:
    if _started:
        return
    folder = Path(tempfile.mkdtemp(prefix="karnameh-cli-"))
    _folder.append(folder)
    for name, (catalogue, answers) in _files(folder).items():
        command = [str(KARNAMEH), "score", "--catalogue", str(catalogue), "--answers", str(answers)]
        process = subprocess.Popen(  # noqa: S603 - our own console script, our own files
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,
            env=os.environ.copy(),
        )
        _started[name] = (process, catalogue, answers)


def results() -> dict[str, Run]:
    start()
    for name, (process, catalogue, answers) in _started.items():
        if name not in _finished:
            out, err = process.communicate(timeout=120)
            _finished[name] = Run(
                process.returncode, out.decode(), err.decode(), catalogue, answers
            )
    return _finished


def stop() -> None:
    """Ends any run still going (a run that hangs must not outlive the tests) and cleans up."""
    for process, _catalogue, _answers in _started.values():
        if process.poll() is None:
            process.kill()
            process.wait()
    for folder in _folder:
        shutil.rmtree(folder, ignore_errors=True)
