"""The CLI as scripts use it: `python -m pdpacket`, exit codes and outputs."""

import subprocess
import sys

from pdpacket import __version__
from tests.pdftools import outline_titles, qpdf_check


def _run(*args, env_home):
    return subprocess.run(
        [sys.executable, "-m", "pdpacket", *args],
        capture_output=True,
        text=True,
        env={"PDPACKET_HOME": str(env_home), "PATH": "/usr/bin:/bin"},
    )


def test_version(tmp_path):
    res = _run("--version", env_home=tmp_path)
    assert res.returncode == 0 and res.stdout.strip() == f"pdpacket {__version__}"


def test_demo_then_import_list_build(tmp_path):
    out = tmp_path / "demo.pdf"
    res = _run("demo", "--out", str(out), env_home=tmp_path / "h")
    assert res.returncode == 0, res.stderr
    qpdf_check(out)
    titles = [t for t, _, _ in outline_titles(out)]
    assert sum(t.startswith("Exhibit ") for t in titles) >= 10

    from pdpacket.demo import write_demo_evidence

    manifest = write_demo_evidence(tmp_path / "evidence")
    res = _run("import", str(manifest), env_home=tmp_path / "h2")
    assert res.returncode == 0, res.stderr
    case_id = res.stdout.strip()
    listing = _run("list", env_home=tmp_path / "h2").stdout
    assert "Lucía Fernanda Morales Rivas" in listing and "A201-555-014" in listing
    res = _run("build", case_id, "--out", str(tmp_path / "p.pdf"), env_home=tmp_path / "h2")
    assert res.returncode == 0, res.stderr
    qpdf_check(tmp_path / "p.pdf")


def test_unknown_case_is_exit_2_with_the_fix(tmp_path):
    res = _run("build", "42", "--out", str(tmp_path / "p.pdf"), env_home=tmp_path)
    assert res.returncode == 2
    assert "no case 42" in res.stderr and "pdpacket list" in res.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_import_prints_every_intake_warning_on_stderr_and_only_the_case_id_on_stdout(tmp_path):
    import json

    from tests import evidence_gen as gen

    src = tmp_path / "evidence"
    src.mkdir()
    gen.text_pdf(src / "passport.pdf", ["Passport page 1"])
    gen.truncated_pdf(src / "records.pdf", pages=6)
    manifest = src / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "client": {"name": "Ana Test", "a_number": "12345678"},
                "exhibits": [
                    {"title": "Passport", "files": ["passport.pdf"]},
                    {"title": "Phone records", "files": ["records.pdf"]},
                ],
            }
        ),
        encoding="utf-8",
    )
    res = _run("import", str(manifest), env_home=tmp_path / "h")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().isdigit() and res.stdout == res.stdout.strip() + "\n"
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    [line] = lines  # the damaged file, said once; the clean one says nothing
    status, path, message = line.split("\t")
    assert status == "warning" and path.endswith("records.pdf")
    assert "records.pdf is damaged; recovered" in message and "Compare" in message
