"""The manifest contract: good ones import whole, bad ones are refused whole."""

import pytest

from pdpacket.cli import main
from pdpacket.errors import ManifestError

GOOD = {
    "client": {"name": "Ana Test", "a_number": "12345678"},
    "exhibits": [
        {"title": "Passport", "files": ["passport.pdf"]},
        {
            "title": "Tax transcripts",
            "files": ["tax/2023.pdf", "tax/2024.pdf"],
            "factor": "employment_taxes",
        },
    ],
}


def test_good_manifest_imports_every_exhibit(workspace, manifest_factory):
    case_id = workspace.import_manifest(manifest_factory(GOOD))
    case = workspace.get_case(case_id)
    assert case.client.a_number == "012345678"
    exhibits = workspace.exhibits(case_id)
    assert [e.title for e in exhibits] == ["Passport", "Tax transcripts"]
    assert [e.pages for e in exhibits] == [1, 2]
    assert exhibits[1].factor_ids == ("employment_taxes",)


@pytest.mark.parametrize(
    "mutate, names",
    [
        (lambda m: m.pop("client"), "client"),
        (lambda m: m["client"].pop("name"), "client.name"),
        (lambda m: m["client"].update(a_number="A12"), "a_number"),
        (lambda m: m.pop("exhibits"), "exhibits"),
        (lambda m: m["exhibits"][0].update(factor="being_nice"), "unknown factor"),
        (lambda m: m["exhibits"][1]["files"].append("missing.pdf"), "missing.pdf"),
        (lambda m: m["exhibits"][0].update(files=["../outside.pdf"]), "leaves the manifest"),
        (lambda m: m["exhibits"][0].update(files=["/etc/hostname"]), "absolute"),
        (lambda m: m["exhibits"][0].pop("title"), "title"),
    ],
)
def test_bad_manifest_is_refused_whole_and_nothing_is_stored(
    workspace, manifest_factory, tmp_path, mutate, names
):
    import copy

    data = copy.deepcopy(GOOD)
    manifest = manifest_factory(data)  # files exist for the good version
    mutate(data)
    manifest = manifest_factory(data, create_files=False)
    (tmp_path / "outside.pdf").write_bytes(manifest.with_name("passport.pdf").read_bytes())
    with pytest.raises(ManifestError) as err:
        workspace.import_manifest(manifest)
    assert names in str(err.value)
    assert "case.json" in str(err.value)
    assert workspace.list_cases() == []
    assert list(workspace.store.blobs.iter_shas()) == []


def test_a_broken_evidence_file_refuses_the_whole_manifest(workspace, manifest_factory):
    path = manifest_factory(GOOD)
    (path.parent / "tax/2024.pdf").write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(Exception) as err:
        workspace.import_manifest(path)
    assert "2024.pdf" in str(err.value)
    assert workspace.list_cases() == []
    assert list(workspace.store.blobs.iter_shas()) == []  # no orphan blob left


def test_cli_import_exit_code_2_names_the_field(manifest_factory, tmp_path, capsys):
    data = {"client": {"name": "X", "a_number": "nope"}, "exhibits": []}
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(manifest_factory(data))])
    err = capsys.readouterr().err
    assert code == 2
    assert "a_number" in err and "7 to 9 digits" in err


def test_cli_import_prints_the_new_case_id(manifest_factory, tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(manifest_factory(GOOD))])
    assert code == 0
    assert capsys.readouterr().out.strip() == "1"
    main(["--data-dir", str(tmp_path / "d"), "list"])
    out = capsys.readouterr().out
    assert "Ana Test" in out and "A012-345-678" in out and "2 exhibits" in out


def test_documented_schema_accepts_the_demo_manifest_and_rejects_a_bad_one(tmp_path):
    import json

    import jsonschema

    from pdpacket.demo import write_demo_evidence
    from pdpacket.policy.catalog import load_json

    schema = load_json("manifest.schema.json")
    demo = json.loads(write_demo_evidence(tmp_path / "demo").read_text(encoding="utf-8"))
    jsonschema.validate(demo, schema)
    jsonschema.validate(GOOD, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"client": {"name": "x"}}, schema)
