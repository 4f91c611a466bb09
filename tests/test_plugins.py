"""An LLM provider added by another package, through the `digital_twin.providers` entry points:
the README's plugin, installed as a distribution on the path, answers for the twin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digital_twin.config import Settings

from .conftest import EXAMPLE, ROOT


def _install(site: Path, name: str = "echo", target: str = "twin_echo:echo_provider") -> None:
    """The README's plugin as a distribution in `site` (what `pip install` leaves behind)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(# twin_echo/__init__\.py\n.*?)```", readme, re.S).group(1)
    (site / "twin_echo").mkdir(parents=True)
    (site / "twin_echo" / "__init__.py").write_text(code, encoding="utf-8")
    info = site / "twin_echo-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: twin-echo\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[digital_twin.providers]\n{name} = {target}\n")


def _run(site: Path, tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "TWIN_DB": str(tmp_path / "twin.db")}
    env.pop("TWIN_PROVIDER", None)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, text=True,
                          capture_output=True, timeout=600)


def test_a_plugin_provider_answers_for_the_twin(tmp_path):
    site = tmp_path / "site"
    _install(site)
    result = _run(site, tmp_path, f"""
from pathlib import Path
from digital_twin import Settings, Twin
twin = Twin(Settings(provider="echo"))
twin.ingest([Path({str(EXAMPLE)!r})])
answer = twin.ask("Where do you work?")
print(answer.provider, answer.model, "|", answer.answer)
twin.close()
""")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("echo echo-1 | ")
    assert "Where do you work?" in result.stdout


def test_a_plugin_cannot_take_a_built_in_name(tmp_path):
    site = tmp_path / "site"
    _install(site, name="groq")
    result = _run(site, tmp_path, "from digital_twin.plugins import providers; "
                                  "print(providers()['groq'].value)")
    assert result.stdout.strip() == "digital_twin.providers.chat:groq_provider"


def test_an_unknown_provider_names_the_installed_ones():
    with pytest.raises(ValueError, match="unknown provider 'echo'; installed: groq, openai, "
                                         "extractive"):
        Settings(provider="echo")
