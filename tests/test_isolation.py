"""The tests' own isolation: whatever SUMMARIZE_* variables the shell has, no test sees one (a
SUMMARIZE_SMTP_HOST left set would send the delivery tests' mail to that server)."""

import os
import subprocess
import sys

from conftest import ROOT

PROBE = '''
import os

def test_probe():
    assert [v for v in os.environ if v.startswith("SUMMARIZE_")] == []
'''


def test_no_summarize_variable_of_the_shell_reaches_a_test(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    shell = {**os.environ, "SUMMARIZE_SMTP_HOST": "smtp.invalid", "SUMMARIZE_SLACK_WEBHOOK": "http://hook.invalid",
             "SUMMARIZE_SOMETHING_NEW": "1", "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    # the probe runs with tests/conftest.py as a plugin, so that its autouse fixture applies
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest", str(probe)],
                       capture_output=True, text=True, env=shell, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout
