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


@pytest.mark.parametrize(
    ("mutate", "names"),
    [
        (
            lambda m: m["exhibits"][1].update(factr="employment_taxes"),
            'exhibits[1].factr: unknown key; did you mean "factor"?',
        ),
        (
            lambda m: m["client"].update(a_numbr="12345678"),
            'client.a_numbr: unknown key; did you mean "a_number"?',
        ),
        (lambda m: m.update(exhibit=[]), 'exhibit: unknown key; did you mean "exhibits"?'),
        (
            lambda m: m["exhibits"][0].update(files=[{"path": "passport.pdf", "pasword": "x"}]),
            'exhibits[0].files[0].pasword: unknown key; did you mean "password"?',
        ),
        (lambda m: m.update(proceedings={"judg": "Ng"}), "proceedings.judg: unknown key"),
        (
            lambda m: m["exhibits"][0].update(translator={"nmae": "T"}),
            "translator.nmae: unknown key",
        ),
        (lambda m: m.update(appearance={"path": "passport.pdf", "from": "g28"}), "appearance.from"),
    ],
)
def test_an_unknown_key_is_refused_with_its_path(manifest_factory, tmp_path, capsys, mutate, names):
    import copy

    data = copy.deepcopy(GOOD)
    manifest_factory(data)
    mutate(data)
    path = manifest_factory(data, create_files=False)
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(path)])
    assert code == 2
    assert names in capsys.readouterr().err


def _schema_keys(node, schema, path, out):
    """Every key path the schema allows, e.g. ``exhibits[].files[].role``."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    for branch in node.get("oneOf", []):
        _schema_keys(branch, schema, path, out)
    if "items" in node:
        _schema_keys(node["items"], schema, f"{path}[]", out)
    for key, child in node.get("properties", {}).items():
        full = f"{path}.{key}" if path else key
        out.add(full)
        _schema_keys(child, schema, full, out)
    return out


def _example(node, schema, path, files):
    """A manifest value that uses every key the schema allows below ``node``."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in node:
        return _example(node["oneOf"][-1], schema, path, files)
    if "properties" in node:
        return {
            k: _example(v, schema, f"{path}.{k}" if path else k, files)
            for k, v in node["properties"].items()
        }
    if "items" in node:
        return [_example(node["items"], schema, f"{path}[]", files)]
    if "enum" in node:
        return next(v for v in node["enum"] if v)
    kind = node["type"][0] if isinstance(node["type"], list) else node["type"]
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    if path.endswith(".path"):
        files.append(path.replace(".", "_").replace("[]", "") + ".pdf")
        return files[-1]
    return {
        "client.a_number": "12345678",
        "client.dob": "1990-01-01",
        "proceedings.hearing_date": "2026-03-14",
        "proceedings.decision_date": "2024-06-03",
        "proceedings.receipts[]": "IOE0912345678",
        "exhibits[].date": "2020-01-01",
        "exhibits[].date_end": "2021-06-30",
        "exhibits[].files[].pages[].page": 1,
        "interview.entry.date": "2005-03",
        "interview.residence_since": "2005",
        "interview.work_since": "2017",
        "interview.relatives[].born": "2014-09-30",
        "interview.arrests[].date": "2015-08-14",
        "interview.arrests[].disposition_date": "2016",
    }.get(path, "x")


class _Reads(dict):
    """A manifest object that records every key the parser asks it for."""

    def __init__(self, data, path, seen):
        super().__init__(data)
        self.path, self.seen = path, seen

    def _child(self, key, value):
        full = f"{self.path}.{key}" if self.path else key
        self.seen.add(full)
        if isinstance(value, dict):
            return _Reads(value, full, self.seen)
        if isinstance(value, list):
            return [_Reads(v, f"{full}[]", self.seen) if isinstance(v, dict) else v for v in value]
        return value

    def __getitem__(self, key):
        return self._child(key, super().__getitem__(key))

    def get(self, key, default=None):
        return self._child(key, super().get(key, default))

    def items(self):
        raise AssertionError("the parser reads named keys, never every key")


def test_the_parser_reads_exactly_the_keys_the_schema_publishes(tmp_path):
    """Walk both: a key read but not published, or published but never read, fails."""
    import json

    from pdpacket import manifest as manifest_module
    from pdpacket.policy import catalog
    from tests.pdftools import make_pdf

    schema = catalog.load_json("manifest.schema.json")
    published = _schema_keys(schema, schema, "", set())
    files: list[str] = []
    data = _example(schema, schema, "", files)
    data["factors"][0]["id"] = data["exhibits"][0]["factor"] = "employment_taxes"
    data["exhibits"][0]["factors"] = ["employment_taxes"]
    for key in ("court", "opla_office", "stage", "pd_form", "framework", "destination"):
        data["proceedings"][key] = ""  # ids are checked against the catalog, not the schema
    for name in files:
        make_pdf(tmp_path / name, [name])
    source = tmp_path / "case.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    manifest_module.check_structure(data, source)  # the example is a valid manifest

    seen: set[str] = set()
    manifest_module._read_manifest(_Reads(data, "", seen), source)
    assert seen - published == set(), "read but not in the schema"
    assert published - seen == set(), "in the schema but never read"
