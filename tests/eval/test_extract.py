"""Code extraction on messy completions: the asked language's fenced block, else the whole text."""

from __future__ import annotations

from backends._extract import extract, humaneval_program


def test_fenced_block_of_the_asked_language() -> None:
    ex = extract("```python\nprint(1)\n```\nThis prints one.\n```python\nprint(2)\n```", "python3")
    assert (ex.code, ex.how, ex.tag) == ("print(1)\n", "fenced", "python")


def test_other_language_blocks_are_skipped() -> None:
    text = "Sure!\n```python\nprint(1)\n```\nOr in C++:\n```c++\nint main() { return 0; }\n```\n"
    ex = extract(text, "cpp")
    assert ex.code == "int main() { return 0; }\n" and ex.how == "fenced" and ex.tag == "c++"
    assert extract(text, "python3").code == "print(1)\n"


def test_no_block_of_the_language_gives_the_whole_text() -> None:
    text = "```java\nclass A {}\n```\n"
    ex = extract(text, "python3")
    assert ex.how == "whole" and ex.tag is None and ex.code == "```java\nclass A {}\n```\n"
    plain = "n = int(input())\nprint(n)\n"
    assert extract(plain, "python3").code == plain and extract(plain, "python3").how == "whole"


def test_cut_off_block_keeps_what_was_generated() -> None:
    ex = extract("```cpp\n#include <cstdio>\nint main() {\n  printf(", "cpp")
    assert ex.how == "fenced-open" and ex.code == "#include <cstdio>\nint main() {\n  printf(\n"


def test_untagged_fences_crlf_and_tag_spellings() -> None:
    assert extract("```\nx = 1\n```", "python3").code == "x = 1\n"
    assert extract("```Python3\r\nprint(3)\r\n```\r\n", "python3").code == "print(3)\n"
    assert extract("  ``` py  \nprint(4)\n  ```", "python3").code == "print(4)\n"
    assert extract("```cpp17\nint x;\n```", "cpp").code == "int x;\n"
    # A bare fence after unfenced code closes it (the model skipped the opening fence).
    ex = extract("print(5)\n```\nthat was the program", "python3")
    assert ex.code == "print(5)\n" and ex.how == "whole"
    assert extract("", "python3").code == "" and extract("```python\n", "python3").how == "fenced-open"


def test_humaneval_completion_continues_the_prompt() -> None:
    prompt = 'def add(a, b):\n    """Add two numbers."""\n'
    ex = humaneval_program(prompt, "    return a + b\n\n\nprint('x')")
    assert ex.code.startswith(prompt) and "    return a + b" in ex.code
    full = humaneval_program(prompt, "```python\ndef add(a, b):\n    return a + b\n```")
    assert full.code == "def add(a, b):\n    return a + b\n" and full.how == "fenced"
    body = humaneval_program(prompt, "```python\n    return a + b\n```")
    assert body.code == prompt + "    return a + b\n"
