"""The shared prompt template, the completion renderer and the code extractor."""

from __future__ import annotations

from typing import Any

import pytest

from iotatui.data.problems import load_problems
from iotatui.data.prompt import extract, extract_code, normalize_code, render_completion, render_prompt
from iotatui.data.schema import Problem
from tests.data.conftest import CPP_OK, PY_OK

CODES = [PY_OK, CPP_OK, "x = 1", "def f():\n    return '```'\n", "\n\n    indented_first = 1\n",
         "print('héllo €')\n", "a = 1   \r\nb = 2\r\n\r\n\r\n"]


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["python3", "cpp", "java", "python2"])
def test_render_extract_round_trip(code: str, language: str) -> None:
    rendered = render_completion(code, language)
    got = extract(rendered)
    assert got.code == normalize_code(code) and got.complete and got.language == language
    # Already-canonical code survives unchanged.
    assert extract_code(render_completion(normalize_code(code), language)) == normalize_code(code)


def test_normalize_code() -> None:
    assert normalize_code("a = 1   \r\nb = 2\r\n\r\n") == "a = 1\nb = 2\n"
    assert normalize_code("\n\nx\n") == "x\n" and normalize_code("  \n") == ""


def test_extract_from_messy_completions() -> None:
    assert extract("Here is my answer:\n```python\nprint(1)\n```\nIt prints 1.\n```cpp\nint x;\n```").code == \
        "print(1)\n"
    cut = extract("```cpp\nint main() {\n    for (;;")
    assert cut.code == "int main() {\n    for (;;\n" and not cut.complete and cut.language == "cpp"
    bare = extract("print(input())\n```")
    assert bare.code == "print(input())\n" and bare.language is None and not bare.complete
    assert extract("```\nx = 1\n```").language is None
    assert extract("```python\n```").code == ""


def test_prompt_names_language_and_limits() -> None:
    p = Problem(name="p", description="  Add two numbers.\n", time_limit_s=1.0, memory_limit_bytes=64_000_000)
    text = render_prompt(p, "cpp")
    assert "Add two numbers." in text and "C++" in text and "1 second." in text and "64 MB" in text
    assert text.endswith("\n") and text == render_prompt(p, "cpp")
    assert render_prompt(Problem(name="q", description="d"), "python3").count("2 seconds") == 1
    with pytest.raises(ValueError, match="language: unknown value 'rust'"):
        render_prompt(p, "rust")


def test_prompt_ends_on_a_token_boundary(tiny_tokenizer: Any) -> None:
    """TRL's DPO splits at the common token prefix: the prompt's tokens must be a prefix of prompt+completion's."""
    problems = load_problems("bundled")[:5]
    for p in problems:
        for lang in ("python3", "cpp"):
            prompt = render_prompt(p, lang)
            for code in [*p.solutions.of(lang)[:2], "    leading_indent = 1\n", "\n\nx = 1\n"]:
                completion = render_completion(code, lang)
                ids_p = tiny_tokenizer(prompt)["input_ids"]
                ids_all = tiny_tokenizer(prompt + completion)["input_ids"]
                assert ids_all[:len(ids_p)] == ids_p, (p.name, lang, code[:40])
