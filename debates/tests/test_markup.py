"""debates.markup.render_markdown: hostile input is neutralised, harmless Markdown survives."""

import pytest

from debates.markup import render_markdown
from debates.tests.html_safety import CORPUS, unsafe_parts


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_input_is_neutralised(text):
    html = render_markdown(text)
    assert unsafe_parts(html) == [], html


@pytest.mark.parametrize("prefix", ["\x00", "\x01", "\t", "\n", " ", "\x0b"])
def test_control_characters_before_a_scheme_do_not_smuggle_it_in(prefix):
    for text in (f'<a href="{prefix}javascript:alert(1)">x</a>', f"[x]({prefix}javascript:alert(1))"):
        html = render_markdown(text)
        assert unsafe_parts(html) == [] and "javascript" not in html, html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*emphasis* and **strong**", "<em>emphasis</em> and <strong>strong</strong>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. first\n2. second", "<ol>\n<li>first</li>"),
        ("`code` here", "<code>code</code>"),
        ("```\nx < y\n```", "<pre><code>x &lt; y\n</code></pre>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("[a link](https://example.org)", '<a href="https://example.org" rel="nofollow ugc noopener">a link</a>'),
        ("mail [me](mailto:a@example.org)", '<a href="mailto:a@example.org" rel="nofollow ugc noopener">me</a>'),
        ("see https://example.org/x?y=1", '<a href="https://example.org/x?y=1" rel="nofollow ugc noopener">'),
        ("# Title", "<h3>Title</h3>"),
        ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
    ],
)
def test_harmless_markdown_still_renders(text, expected):
    assert expected in render_markdown(text)


def test_script_tags_are_removed_and_their_text_escaped():
    html = render_markdown("<script>alert(1)</script>")
    assert "<script" not in html
    assert unsafe_parts(html) == []
