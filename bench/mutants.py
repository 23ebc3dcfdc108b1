"""Mutants: small hand mutations of the code that the tests must notice (issue 12 found seven that they did not).

Each mutation is applied to the source, its tests run, and the source restored (also on failure or Ctrl-C).
KILLED: a test failed, as it must; SURVIVED: no test noticed the mutation.

    python bench/mutants.py
"""

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY = sys.executable
# (what the mutation does, the file, the text, what it becomes, the tests that must notice)
MUTATIONS = [
    ("batch fallback removed", "summarize/jobs.py", "    except Exception:\n        log.warning(\"batched translation failed", "    except ValueError:\n        log.warning(\"batched translation failed", "tests/test_translation.py::test_a_batch_the_model_fails_on_is_translated_article_by_article"),
    ("batch fallback translates the whole chunk per article", "summarize/jobs.py", "                f = translate_texts(translator, [ko for ko, *_ in r.units], cache, *limits)", "                f = translate_texts(translator, [ko for x in chunk for ko, *_ in x.units], cache, *limits)", "tests/test_translation.py::test_a_batch_the_model_fails_on_is_translated_article_by_article"),
    ("licence warning dropped (compose)", "summarize/article.py", "    if note:\n        warnings.append", "    if note and False:\n        warnings.append", "tests/test_guard.py -k licence"),
    ("licence warning not passed (run)", "summarize/run.py", "model.translator.info, spec.warning, out_dir", "model.translator.info, None, out_dir", "tests/test_guard.py -k licence"),
    ("headline not counted", "summarize/stages/guard.py", "    if title.flags:\n        parts.append(\"the headline\")", "    if title.flags and False:\n        parts.append(\"the headline\")", "tests/test_guard.py -k \"headline\""),
    ("max_chars out of the re-run key", "summarize/article.py", "        \"max_chars\": options.max_chars,\n", "", "tests/test_options.py -k \"article_key or max_chars\""),
    ("SMTP starttls port 587 -> 25", "summarize/deliver/mail.py", "\"starttls\": 587", "\"starttls\": 25", "tests/test_delivery.py -k ports"),
    ("SMTP ssl port 465 -> 587", "summarize/deliver/mail.py", "{\"ssl\": 465", "{\"ssl\": 587", "tests/test_delivery.py -k ports"),
    ("[email] to ignored", "summarize/cli.py", "recipients = list(email_to) or list(options.email.to)", "recipients = list(email_to)", "tests/test_delivery.py -k recipients_of_the_config"),
    ("Retry-After ignored (slack)", "summarize/deliver/slack.py", "            try:\n                return float(v)", "            try:\n                return None and float(v)", "tests/test_delivery.py -k retry_after"),
    ("Retry-After ignored (retries)", "summarize/deliver/retry.py", "e.retry_after if e.retry_after is not None else wait", "wait", "tests/test_delivery.py -k retry_after"),
    ("the tests' fixture clears a fixed list of SUMMARIZE_* variables", "tests/conftest.py",
     '    for var in [v for v in os.environ if v.startswith("SUMMARIZE_")]:  # every one, known or not\n        monkeypatch.delenv(var)',
     '    for var in ("SUMMARIZE_MODEL", "SUMMARIZE_CONFIG"):\n        monkeypatch.delenv(var, raising=False)',
     "tests/test_isolation.py"),
]


def main() -> int:
    survived = 0
    for name, path, old, new, test in MUTATIONS:
        p = ROOT / path
        src = p.read_text(encoding="utf-8")
        assert src.count(old) == 1, (name, src.count(old))
        p.write_text(src.replace(old, new), encoding="utf-8")
        try:
            r = subprocess.run(f"{PY} -m pytest -q -x -p no:cacheprovider {test}", shell=True, cwd=ROOT,
                               capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
            last = ([line for line in r.stdout.strip().splitlines() if line.strip()] or ["no output"])[-1]
            survived += r.returncode == 0
            print(f"{'KILLED' if r.returncode else 'SURVIVED'}  {name}  [{test}]  {last}", flush=True)
        finally:
            p.write_text(src, encoding="utf-8")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
