"""curl commands for a POSIX shell, Windows cmd.exe and PowerShell, each quoted by its own rules."""

from __future__ import annotations

import re
import shlex

from explorer.core.codegen.curl_args import curl_groups
from explorer.core.codegen.secrets import EnvVar, Sealed, encode_pairs, full_url

Word = list[str | EnvVar]
# An option name or a verb: written without quotes in every shell.
_BARE = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*|[A-Z]+")


def _words(sealed: Sealed) -> list[list[Word]]:
    request = sealed.request
    groups = curl_groups(request, full_url(request), encode_form=encode_pairs)
    return [[sealed.parts(word) or [""] for word in group] for group in groups]


# -- POSIX sh ------------------------------------------------------------------------------------------


def posix_curl(sealed: Sealed) -> str:
    """Single quotes around every literal piece; a variable as "$NAME", so its value is never split."""
    lines = [" ".join(_posix_word(word) for word in group) for group in _words(sealed)]
    return " \\\n  ".join(lines)


def _posix_word(word: Word) -> str:
    return "".join(f'"${piece.name}"' if isinstance(piece, EnvVar) else shlex.quote(piece) for piece in word)


# -- Windows cmd.exe -----------------------------------------------------------------------------------

# Characters cmd.exe passes on as they are outside double quotes; every other one gets a caret.
_CMD_PLAIN = re.compile(r"[A-Za-z0-9 _\-:=+~/.,?;*@'{}\[\]#$`\\]")


def cmd_curl(sealed: Sealed) -> str:
    """The command for the cmd.exe prompt (not a .bat file, where % is doubled instead).

    Two parsers read it: cmd.exe first, then curl's C runtime splits the arguments. Each argument is
    quoted for the runtime ("…", with \\" inside), and that quoting is hidden from cmd.exe by writing the
    quotes as ^" so cmd.exe never enters its quoted mode: every character it treats specially
    (& | < > ^ ( ) " !) gets a caret, and a % gets one after it, so no %NAME% of the user's environment is
    expanded by accident.
    A secret is written as %NAME%, which cmd.exe does expand.
    """
    lines = [" ".join(_cmd_word(word) for word in group) for group in _words(sealed)]
    lines[0] = lines[0].replace("curl", "curl.exe", 1)
    return " ^\n  ".join(lines)


def _cmd_word(word: Word) -> str:
    if len(word) == 1 and isinstance(word[0], str) and (word[0] == "curl" or _BARE.fullmatch(word[0])):
        return word[0]  # curl and its options need no quotes
    # One character (or variable) at a time, so a % can look at what follows it, even in the next piece.
    items: list[str | EnvVar] = [
        char for piece in _runtime_quote(word) for char in ([piece] if isinstance(piece, EnvVar) else piece)
    ]
    out: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, EnvVar):
            out.append(f"%{item.name}%")
        elif item == "%":
            # A caret after it keeps "%name%" from being read as a variable (cmd.exe then drops the caret);
            # needless, and wrong, before a character that gets its own caret or before another %.
            following = items[index + 1] if index + 1 < len(items) else None
            out.append("%^" if isinstance(following, str) and _cmd_plain(following) else "%")
        elif item == "\n":
            out.append("^\n\n")  # a caret before a line break keeps the break (the next one) in the value
        elif _cmd_plain(item):
            out.append(item)
        else:
            out.append("^" + item)
    return "".join(out)


def _cmd_plain(char: str) -> bool:
    """True for a character cmd.exe passes on as it is outside double quotes."""
    return bool(_CMD_PLAIN.fullmatch(char)) or ord(char) > 127


def _runtime_quote(word: Word) -> list[str | EnvVar]:
    """The argument as the Microsoft C runtime reads it back: in double quotes, a quote inside as \\",
    and backslashes doubled only where they come before a quote (elsewhere they are literal)."""
    out: list[str | EnvVar] = ['"']
    for index, piece in enumerate(word):
        if isinstance(piece, EnvVar):
            out.append(piece)
            continue
        text = re.sub(r'(\\*)"', lambda m: m[1] * 2 + '\\"', piece)
        if index == len(word) - 1:
            text = re.sub(r"(\\+)$", lambda m: m[1] * 2, text)  # the closing quote follows them
        out.append(text)
    out.append('"')
    return out


# -- PowerShell ----------------------------------------------------------------------------------------


def powershell_curl(sealed: Sealed) -> str:
    """`curl.exe`, never `curl` (in Windows PowerShell that name is Invoke-WebRequest, which takes none of
    these options); literal text in single quotes ('' for a quote); a secret as $env:NAME."""
    groups = _words(sealed)
    lines = [" ".join(_ps_word(word) for word in group) for group in groups]
    lines[0] = lines[0].replace("curl", "curl.exe", 1)
    command = " `\n  ".join(lines)
    if any('"' in piece for group in groups for word in group for piece in word if isinstance(piece, str)):
        # Windows PowerShell 5.1 and PowerShell before 7.3 drop the double quotes inside an argument
        # passed to a program; 7.3 and later pass it as written.
        command = (
            '# Needs PowerShell 7.3 or later (pwsh): older versions drop the " inside arguments.\n' + command
        )
    return command


def _ps_word(word: Word) -> str:
    if len(word) == 1 and isinstance(word[0], str) and (word[0] == "curl" or _BARE.fullmatch(word[0])):
        return word[0]
    pieces = [f"$env:{p.name}" if isinstance(p, EnvVar) else "'" + p.replace("'", "''") + "'" for p in word]
    if len(pieces) == 1:
        return pieces[0]
    # An expression in parentheses is one argument; its parts joined with + .
    return "(" + " + ".join(pieces) + ")"
