"""The package's public face: every name it exports resolves, importing it stays light, and the
README's Python example runs as written."""

from __future__ import annotations

import re
import subprocess
import sys

import digital_twin

from .conftest import ROOT


def test_every_exported_name_resolves_to_what_it_names():
    for name in digital_twin.__all__:
        value = getattr(digital_twin, name)
        assert getattr(value, "__name__", name) == name, name
    assert issubclass(digital_twin.ProfileError, digital_twin.TwinError)
    assert digital_twin.Twin.__module__ == "digital_twin.service"


def test_importing_the_package_loads_none_of_its_modules():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, digital_twin; print(sorted(m for m in sys.modules "
                               "if m.startswith('digital_twin')))"],
        capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['digital_twin']"


def test_the_readmes_python_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    code = code.replace('Path("examples/digitaltwin.json")',
                        f'Path({str(ROOT / "examples" / "digitaltwin.json")!r})')
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Maya Okafor" in result.stdout and "digitaltwin.json" in result.stdout
    assert (tmp_path / "my-twin.db").exists()
