"""Every command has --help with an example and is shown in the docs; the README is a short
front door whose first command installs what its examples need; the Python library is
documented with every signature; and every relative link of the docs leads somewhere."""

from __future__ import annotations

import dataclasses
import inspect
import re
import shutil
import tomllib
import unicodedata
from pathlib import Path

import pytest

import linkcheck
from linkcheck.cli import COMMANDS
from linkcheck.cli.rules import rules as rules_group

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
PAGES = ["README.md", "CONTRIBUTING.md", "bench/README.md"] + [f"docs/{n}" for n in DOCS]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _subcommands(group, path: list[str]) -> list[list[str]]:
    """Every command under a group, nested groups (`rules repo init`) included."""
    found = []
    for name, command in group.commands.items():
        found.append([*path, name])
        if hasattr(command, "commands"):
            found += _subcommands(command, [*path, name])
    return found


ALL = [[name] for name in COMMANDS] + _subcommands(rules_group, ["rules"])
GROUPS = [["rules"], ["rules", "repo"]]


@pytest.mark.parametrize("command", ALL, ids=[" ".join(c) for c in ALL])
def test_every_command_has_help_with_an_example(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    for option in ("--rules", "--no-default-rules", "--platform", "--color"):
        assert option in result.stdout or command in GROUPS


@pytest.mark.parametrize("command", ALL, ids=[" ".join(c) for c in ALL])
def test_every_command_is_in_the_docs(command):
    """The manual (the docs/ pages behind the README) shows every command."""
    assert any("linkcheck " + " ".join(command) in page for page in DOCS.values())


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == [
        "pip install . && linkcheck check tmall --on 2022-11-11",
        "pip install '.[test]' && python -m pytest -n 2",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("pip install '.[test]' && python -m pytest -n 2")


def test_the_first_command_installs_what_the_readme_examples_need():
    """`pip install .` (no extra) must make the README's own `.xlsx` example work: openpyxl
    is a dependency, not an extra (a cold `check` still does not import it: test_cli_check)."""
    assert "examples/schedule.xlsx" in README
    assert any(re.match(r"openpyxl\b", d) for d in PYPROJECT["project"]["dependencies"])


def test_the_readme_is_a_front_door():
    """About 200 lines: the rest lives in docs/, CONTRIBUTING.md and bench/README.md."""
    lines = README.splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines: move the detail to docs/"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[:2] == ["## 中文说明", "## Three examples"]
    assert "## What the bundled rules know, and until when" in headings
    assert "## Exit codes for scripts" in headings
    for page in DOCS:
        assert f"(docs/{page}" in README, f"the README does not link docs/{page}"


def test_the_benchmark_record_names_no_machine_path():
    text = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w.])/(?:work|tmp|home|Users|root|mnt)/", text)
    assert "python bench/run.py" in text and "python bench/before_after.py" in text


def test_the_sdist_ships_the_docs_and_what_they_link_to():
    include = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    for page in PAGES:
        assert page.split("/")[0] in include, page
        for target, _ in _relative_links(page):
            top = (Path(page).parent / target).as_posix().split("/")
            top = [part for part in top if part not in (".", "")]
            while ".." in top:  # docs/../rules.toml → rules.toml
                i = top.index("..")
                del top[i - 1 : i + 1]
            assert top[0] in include, (page, target)


# ---------------------------------------------------------------------- the Python library


class _Text:
    """An annotation shown as written (the modules use `from __future__ import annotations`)."""

    def __init__(self, text) -> None:
        self.text = text if isinstance(text, str) else inspect.formatannotation(text)

    def __repr__(self) -> str:
        return self.text


def _default(value):
    """A default shown as its call when it is a class's own default (ChecklistOptions())."""
    if dataclasses.is_dataclass(value) and value == type(value)():
        return _Text(f"{type(value).__name__}()")
    return value


def signature(function, *, method: bool = False, returns: bool = True) -> str:
    sig = inspect.signature(function)
    params = list(sig.parameters.values())[1 if method else 0 :]
    empty = inspect.Parameter.empty
    params = [p.replace(default=_default(p.default)) for p in params]
    params = [p.replace(annotation=_Text(p.annotation)) if p.annotation is not empty else p
              for p in params]  # fmt: skip
    back = sig.return_annotation
    back = _Text(back) if returns and back is not empty else inspect.Signature.empty
    return str(sig.replace(parameters=params, return_annotation=back))


def _documented():
    """The library's public names: `linkcheck`'s, the checklist entry point, the Spark one."""
    from linkcheck import batch

    found = [(name, getattr(linkcheck, name)) for name in linkcheck.__all__]
    found += [(name, getattr(batch, name)) for name in CHECKLIST_API]
    return found


CHECKLIST_API = ("run_checklist", "ChecklistOptions", "Summary", "Answer")


def public_functions() -> list[str]:
    """Every public function and method of the library, as docs/python.md must show it."""
    from linkcheck.spark import check_dataframe

    shown = [f"check_dataframe{signature(check_dataframe)}"]
    for name, value in _documented():
        if inspect.isfunction(value):
            shown.append(f"{name}{signature(value)}")
        elif inspect.isclass(value) and not issubclass(value, Exception):
            for attribute, member in vars(value).items():
                if attribute == "__init__" and inspect.isfunction(member):
                    if dataclasses.is_dataclass(value):
                        continue  # its fields are documented instead
                    shown.append(f"{name}{signature(member, method=True, returns=False)}")
                elif attribute.startswith("_"):
                    continue
                elif isinstance(member, property):
                    back = _Text(inspect.signature(member.fget).return_annotation)
                    shown.append(f"{name}.{attribute} -> {back!r}")
                elif isinstance(member, staticmethod):
                    shown.append(f"{name}.{attribute}{signature(member.__func__)}")
                elif inspect.isfunction(member):
                    shown.append(f"{name}.{attribute}{signature(member, method=True)}")
    return shown


@pytest.mark.reads_source  # signatures, which a mutation run's trampolines rename
@pytest.mark.parametrize("function", public_functions())
def test_every_public_function_is_documented_with_its_signature(function):
    assert f"`{function}`" in DOCS["python.md"]


@pytest.mark.parametrize("name", [n for n, _ in _documented()])
def test_every_public_name_is_documented(name):
    assert f"`{name}" in DOCS["python.md"]
    value = dict(_documented())[name]
    fields = getattr(value, "_fields", ())  # a named tuple's or a dataclass's every field
    if dataclasses.is_dataclass(value):
        fields = [f.name for f in dataclasses.fields(value)]
    for field in fields:
        assert f"`{field}`" in DOCS["python.md"], (name, field)


PYTHON_EXAMPLES = re.findall(r"```python\n(.*?)```", DOCS["python.md"], re.S)


@pytest.mark.parametrize("code", PYTHON_EXAMPLES, ids=lambda c: c.splitlines()[0])
def test_every_python_example_runs_and_every_value_comment_holds(code, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(code, namespace)  # the example as a user would paste it
    for line in code.splitlines():  # every "# value" comment that is a literal holds
        if "  # " in line and not re.match(r"[a-z_]+ = ", line):
            expr, comment = line.split("  # ", 1)
            literal = comment.split(":", 1)[0] if comment.startswith("(") else comment
            if literal.startswith(("'", "(", "[", "{")) or literal.isdigit() or literal in (
                "True", "False"
            ):  # fmt: skip
                assert repr(eval(expr, namespace)) == literal, line
    assert len(PYTHON_EXAMPLES) >= 2


def test_the_python_example_says_what_it_returns():
    code = PYTHON_EXAMPLES[0]
    namespace: dict = {}
    exec(code, namespace)  # the example as a user would paste it
    d, link, jd = namespace["d"], namespace["link"], namespace["jd"]
    assert (d.verdict, d.rule.id) == ("allowed", "kuaishou-2022-tmall-window")
    assert [r.id for r in d.overridden] == ["kuaishou-2022-03-cutoff"]
    assert (d.next_change.at.isoformat(), d.next_change.verdict) == (
        "2023-01-01T00:00:00+08:00",
        "unknown",
    )
    late = namespace["late"]
    assert (late.verdict, late.reason) == ("unknown", "beyond_horizon")
    assert link.candidates == ("jd-self", "jd-pop")
    assert (jd.verdict, jd.reason) == ("unknown", "ambiguous_link")


# ---------------------------------------------------------------------- links

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> str:
    """The page without its code: fenced blocks and `inline code` hold no links."""
    return re.sub(r"`[^`\n]*`", "", _FENCE.sub("", text))


def _relative_links(page: str) -> list[tuple[str, str]]:
    """(path, anchor) of every link that is not a URL; an anchor alone has path ''."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found = []
    for target in _LINK.findall(_prose(text)):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        found.append((path, anchor))
    return found


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *$", _FENCE.sub("", text), re.M):
        kept = "".join(
            c for c in heading.lower()
            if unicodedata.category(c)[0] in "LMN" or c in "_- "
        )  # fmt: skip
        slug = kept.replace(" ", "-")
        n = 0
        while (slug if n == 0 else f"{slug}-{n}") in found:
            n += 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def test_anchors_are_computed_as_github_does():
    assert _anchors("## What the bundled rules know, and until when\n") == {
        "what-the-bundled-rules-know-and-until-when"
    }
    assert _anchors("## `batch --engine duckdb`\n## 中文说明\n## 中文说明\n") == {
        "batch---engine-duckdb",
        "中文说明",
        "中文说明-1",
    }


@pytest.mark.parametrize("page", PAGES)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    links = _relative_links(page)
    assert len(links) >= 10 or page != "README.md"  # the links are found
    for path, anchor in links:
        target = (ROOT / page).parent / path if path else ROOT / page
        assert target.exists(), f"{page}: {path} does not exist"
        if anchor:
            assert target.suffix == ".md", f"{page}: #{anchor} in {path}, not a page"
            headings = _anchors(target.read_text(encoding="utf-8"))
            assert anchor in headings, f"{page}: no heading #{anchor} in {path or page}"
