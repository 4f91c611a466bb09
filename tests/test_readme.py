"""The README's first session, run as written: its commands are read from the README itself, so
the two cannot drift. `make run` stands for its first step (ingest the example); serving is
tested elsewhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_RUN_INGEST = ".venv/bin/twin ingest --if-empty examples/digitaltwin.json"  # as `make run`
# The owner's edit of the starter `twin init` wrote, where the README says to make it.
FILL_IN = "# fill in me.json (or me.md), then:"
EDIT = ("""python -c 'import json; p = json.load(open("me.json")); p["personal"].update("""
        """name="Rui Costa", title="Harbour Pilot", location="Sines, Portugal", """
        """summary="I bring container ships into Sines."); json.dump(p, open("me.json", "w"))'""")


def first_session() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A first session", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) >= 3, "the first session lost its command blocks"
    script = "\n".join(blocks)
    assert "make run" in script and FILL_IN in script
    return script.replace(FILL_IN, EDIT).replace("make run", MAKE_RUN_INGEST)


def test_the_readme_first_session_works_as_written(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])  # what `make` builds
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWIN_", "GROQ_", "OPENAI_"))}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", first_session()], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Traceback" not in output and "Error:" not in output
    assert "Tidewater" in proc.stdout  # the example's answers
    assert "doesn't cover" in proc.stdout  # an honest decline
    assert "Sines, Portugal" in proc.stdout  # the owner's own profile, once made theirs
    assert "left as it is" in proc.stdout  # ... which `make run` then serves as it is
    assert "Porto" in proc.stdout  # the Markdown résumé, in an index of its own
    assert (tmp_path / "me.json").exists() and (tmp_path / "priya.db").exists()
