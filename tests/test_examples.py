"""Commands shown for people to paste: broken between words, and still one command."""

import shlex

import pytest

from actiontrack.commands.examples import command_lines, shell_words


@pytest.mark.parametrize("command", [
    'actiontrack action edit SUFF-1.3 --title "Agree a business case with each new provider" --note "Board wording"',
    "actiontrack person add 'Head of Early Help' --email early.help@example.gov.uk --new",
    'actiontrack --store d.json import "plan with spaces.xlsx" --plan SUFF --dry-run',
])
def test_lines_pasted_are_the_command_as_written(command):
    lines = command_lines(shell_words(command), 40)
    assert len(lines) > 1 and all(line.endswith(" \\") for line in lines[:-1])
    pasted = "\n".join(lines).replace(" \\\n", " ")
    assert shlex.split(pasted) == shlex.split(command)


def test_an_option_keeps_its_value_and_a_quoted_argument_its_spaces():
    assert shell_words('actiontrack x "a b" --note "c d" --open --due 30/11/2022 -- "-2 places"') == [
        "actiontrack", "x", '"a b"', '--note "c d"', "--open", "--due 30/11/2022", '-- "-2 places"']


def test_each_line_fits_unless_one_word_is_longer():
    words = ["actiontrack", "--store " + "x" * 60, "overdue", "--format json"]
    lines = command_lines(words, 40)
    assert lines == ["  actiontrack \\", "      --store " + "x" * 60 + " \\", "      overdue --format json"]
    assert command_lines(["actiontrack", "overdue"], 80) == ["  actiontrack overdue"]
