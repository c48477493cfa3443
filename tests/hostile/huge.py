"""The huge inputs of the hostile suite, made on the fly (a 5 MB post, a 1 MB line, a 20,000-post thread).

They are text dumps, so they go through the same importer as any capture. The text mixes ordinary
sentences with markup and script, so the size is not of one repeated harmless character.
"""

from __future__ import annotations

SEP = "\n\u00a0\n\n"
SENTENCES = (
    "The ferry was late again and the harbour master blamed the tide tables.",
    "<script>alert('x')</script> is not a script here, just text.",
    "```{include} /etc/passwd``` stays text, as does {{ config }} and {% raw %}.",
    "Somebody said the road would reopen on Tuesday, but nobody believed it.",
    "[a link](javascript:alert(1)) and <img src=x onerror=alert(1)> too.",
    "Prices at the co-op went up by a third over the winter months.",
)
POST_MB = 5
LINE_MB = 1
THREAD_POSTS = 20_000


def _dump(title: str, posts: list[tuple[str, str, str]]) -> str:
    parts = [title, ""]
    for author, user_title, body in posts:
        parts.append(f"{author}\n\n{user_title}\n{body}{SEP}")
    return "\n".join(parts) + "Top\n"


def text_of_size(size: int, line_words: int = 12) -> str:
    """About ``size`` characters of sentences, a line break every ``line_words`` words (0: one line)."""
    words: list[str] = []
    length = 0
    i = 0
    while length < size:
        sentence = f"{SENTENCES[i % len(SENTENCES)]} ({i})"
        words.extend(sentence.split())
        length += len(sentence) + 1
        i += 1
    if not line_words:
        return " ".join(words)
    lines = [" ".join(words[j : j + line_words]) for j in range(0, len(words), line_words)]
    return "\n".join(lines)


def huge_post() -> str:
    return _dump("HUGE\u00a0A five megabyte post", [
        ("longwinded", "Member", text_of_size(POST_MB * 1_000_000)), ("reader", "Member", "tl;dr")])


def huge_line() -> str:
    return _dump("HUGE\u00a0A one megabyte line", [("oneliner", "Member", text_of_size(LINE_MB * 1_000_000, 0))])


def huge_thread() -> str:
    posts = [(f"member{i % 97}", "Member", f"Reply number {i}: {SENTENCES[i % len(SENTENCES)]}")
             for i in range(THREAD_POSTS)]
    return _dump("HUGE\u00a0A twenty thousand post thread", posts)
