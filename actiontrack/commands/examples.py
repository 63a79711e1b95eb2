"""Commands printed for people to paste (the demo's "Try next", the verbs' help examples),
broken between words to fit the terminal, each line but the last ending in " \\" so the
shell reads one command.  At 80 columns the longest ran to 128 and the terminal broke it
mid-word (a new-user trial)."""

from __future__ import annotations

HELP_WIDTH = 76  # click indents an example in --help by four: 80 columns in all


def command_lines(words: list[str], width: int, indent: str = "  ") -> list[str]:
    """`words` as lines of at most `width` where they allow (a word longer than a line
    stays whole); a word may be an option with its value, kept together."""
    lines, line = [], indent + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) + 2 > width:  # room for the word and the " \" after it
            lines.append(line + " \\")
            line = indent + "    " + word
        else:
            line += " " + word
    return [*lines, line]


def shell_words(command: str) -> list[str]:
    """A command as written, split where the shell splits it (a quoted argument is one
    word, its quotes kept), each option taking its value with it: `--note "Board
    wording"` is one word, so a line never ends between them."""
    split: list[str] = []
    word, quote = "", ""
    for ch in command:
        if quote or ch != " ":
            word += ch
            if ch in "\"'" and (not quote or ch == quote):
                quote = "" if quote else ch
        elif word:
            split.append(word)
            word = ""
    if word:
        split.append(word)
    words: list[str] = []
    for w in split:
        if words and words[-1].startswith("--") and " " not in words[-1] and not w.startswith("-"):
            words[-1] += " " + w
        else:
            words.append(w)
    return words
