"""Read curl's options from the words of a command line into a ParsedCurl (no HTTP semantics yet)."""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.core.curl.tokens import CurlError, Word, split_words
from explorer.core.http.masking import mask_text
from explorer.core.prepared import SECRET_PLACEHOLDER
from explorer.core.text import position

# Options that take a value: long name -> our key.  Short letters map to the long names below.
_WITH_VALUE = {
    "--request": "method",
    "--header": "header",
    "--data": "data",
    "--data-ascii": "data",
    "--data-raw": "data-raw",
    "--data-binary": "data-binary",
    "--data-urlencode": "data-urlencode",
    "--json": "json",
    "--form": "form",
    "--form-string": "form-string",
    "--user": "user",
    "--url": "url",
    "--user-agent": "user-agent",
    "--referer": "referer",
    "--cookie": "cookie",
    "--oauth2-bearer": "bearer",
}
_SWITCHES = {
    "--get": "get",
    "--location": "location",
    "--location-trusted": "location",
    "--http1.0": "http10",
    "--insecure": "insecure",
    "--head": "head",
}
# Options that do not change the request the explorer sends; they are skipped with a note.
# fmt: off
_IGNORED_SWITCHES = frozenset([
    "--compressed", "--silent", "--show-error", "--verbose", "--include", "--fail", "--fail-with-body",
    "--globoff", "--no-buffer", "--http1.1", "--http2", "--http2-prior-knowledge", "--http3",
    "--progress-bar", "--remote-name", "--remote-header-name", "--no-progress-meter", "--ipv4", "--ipv6",
    "--tr-encoding", "--raw", "--no-keepalive", "--disable", "--path-as-is", "--fail-early",
    "--styled-output", "--no-styled-output", "--ssl-reqd", "--tcp-nodelay",
])
_IGNORED_WITH_VALUE = frozenset([
    "--output", "--max-time", "--connect-timeout", "--retry", "--retry-delay", "--retry-max-time",
    "--write-out", "--proxy", "--cacert", "--capath", "--cert", "--key", "--cert-type", "--key-type",
    "--resolve", "--limit-rate", "--cookie-jar", "--max-redirs", "--interface", "--dns-servers", "--trace",
    "--trace-ascii", "--stderr", "--speed-limit", "--speed-time", "--proxy-user", "--connect-to",
    "--keepalive-time", "--expect100-timeout",
])
# fmt: on
_SHORT = {
    "X": "--request",
    "H": "--header",
    "d": "--data",
    "F": "--form",
    "u": "--user",
    "A": "--user-agent",
    "e": "--referer",
    "b": "--cookie",
    "G": "--get",
    "L": "--location",
    "0": "--http1.0",
    "k": "--insecure",
    "I": "--head",
    "s": "--silent",
    "S": "--show-error",
    "v": "--verbose",
    "i": "--include",
    "f": "--fail",
    "g": "--globoff",
    "N": "--no-buffer",
    "#": "--progress-bar",
    "O": "--remote-name",
    "4": "--ipv4",
    "6": "--ipv6",
    "J": "--remote-header-name",
    "q": "--disable",
    "o": "--output",
    "m": "--max-time",
    "w": "--write-out",
    "x": "--proxy",
    "E": "--cert",
    "c": "--cookie-jar",
    "U": "--proxy-user",
}  # fmt: skip
_REFUSED = {
    "--upload-file": "uploads a file with PUT; use a body instead",
    "--config": "reads options from a file",
    "--next": "starts a second request",
    "--range": "asks for part of a resource",
}
_SHORT_REFUSED = {"T": "--upload-file", "K": "--config", ":": "--next", "r": "--range"}


@dataclass(frozen=True, slots=True)
class DataArg:
    """One -d/--data*/--json argument as written, with the option that introduced it."""

    option: str  # the canonical long name, e.g. --data for -d
    value: str
    start: int
    typed: str = ""  # the option as written, for messages

    @property
    def shown(self) -> str:
        return self.typed or self.option


@dataclass
class ParsedCurl:
    """The options of one curl command, in order, before they are turned into a request."""

    text: str
    method: str | None = None
    url: Word | None = None
    headers: list[tuple[str, int]] = field(default_factory=list)  # raw "Name: value" and its offset
    data: list[DataArg] = field(default_factory=list)
    forms: list[DataArg] = field(default_factory=list)
    user: str | None = None
    bearer: str | None = None
    extra_headers: list[tuple[str, str]] = field(default_factory=list)  # from -A, -e, -b
    get: bool = False
    head: bool = False
    location: bool = False
    insecure: bool = False
    http10: bool = False
    notes: list[str] = field(default_factory=list)


def parse_command(text: str) -> ParsedCurl:
    """Parse a curl command line (the leading `curl` and a `$ ` prompt are optional)."""
    split = split_words(text)
    words = list(split.words)
    parsed = ParsedCurl(text=text, notes=list(split.notes))
    if words and not words[0].quoted and words[0].text == "$":
        words.pop(0)
    if words and not words[0].quoted and words[0].text.rsplit("/", 1)[-1] in ("curl", "curl.exe"):
        words.pop(0)
    i = 0
    while i < len(words):
        word = words[i]
        if not word.text.startswith("-") or word.text == "-":
            _set_url(parsed, word)
            i += 1
        elif word.text.startswith("--"):
            i = _long_option(parsed, words, i)
        else:
            i = _short_options(parsed, words, i)
    if parsed.url is None:
        raise CurlError(
            "No URL found: a curl command needs the address to call (e.g. curl https://host/path)."
        )
    return parsed


def _set_url(parsed: ParsedCurl, word: Word) -> None:
    if parsed.url is not None:
        # Naming the first one shows what went wrong when it was not meant as a URL (`wget …`, a typo).
        first = parsed.url
        # Neither is quoted unless it looks like an address: the stray word is often a key whose -H lost
        # its quotes, and a key of letters alone does not look like one to mask_text.
        raise CurlError(
            f"A second URL {_word_shown(word.text)} at {position(parsed.text, word.start)} "
            f"(the first was {_word_shown(first.text)} at {position(parsed.text, first.start)}): "
            "only one request can be imported at a time."
        )
    parsed.url = word


def _word_shown(text: str, limit: int = 60) -> str:
    """A word for a message: quoted (secrets masked, cut short) when it looks like a URL or is short, else
    its length."""
    # A short word (`wget`, a typo) is shown as well: API keys are 32 characters or more.
    if "/" in text or "." in text or len(text) < 16:
        shown = mask_text(text)
        return repr(shown if len(shown) <= limit else shown[:limit] + "…")
    return f"(a word of {len(text)} characters, not shown in case it is a key)"


def _shown(option: str, value: str) -> str:
    """An ignored option's value as a note may show it: a proxy password never, other secrets masked."""
    return SECRET_PLACEHOLDER if option == "--proxy-user" else mask_text(value)


def _value_after(parsed: ParsedCurl, words: list[Word], i: int, option: str) -> Word:
    if i + 1 >= len(words):
        raise CurlError(f"Option {option} at {position(parsed.text, words[i].start)} needs a value.")
    return words[i + 1]


def _long_option(parsed: ParsedCurl, words: list[Word], i: int) -> int:
    word = words[i]
    name = word.text
    if name in _WITH_VALUE:
        _apply(parsed, _WITH_VALUE[name], _value_after(parsed, words, i, name), name)
        return i + 2
    if name in _SWITCHES:
        _switch(parsed, _SWITCHES[name])
        return i + 1
    if name in _IGNORED_SWITCHES:
        parsed.notes.append(f"Ignored {name}: it does not change the request.")
        return i + 1
    if name in _IGNORED_WITH_VALUE:
        value = _value_after(parsed, words, i, name)
        parsed.notes.append(f"Ignored {name} {_shown(name, value.text)}: it does not change the request.")
        return i + 2
    where = position(parsed.text, word.start)
    if name in _REFUSED:
        raise CurlError(f"Option {name} at {where} is not supported: it {_REFUSED[name]}.")
    raise CurlError(f"Unknown option {name} at {where}.")


def _short_options(parsed: ParsedCurl, words: list[Word], i: int) -> int:
    """A cluster such as -sSL, -XPOST or -H'Name: v': letters until one that takes a value."""
    word = words[i]
    letters = word.text[1:]
    for k, letter in enumerate(letters):
        if letter in _SHORT_REFUSED or letter not in _SHORT:
            # Worked out only for a message: once per option, it made 100,000 options quadratic.
            where = position(parsed.text, word.start + 1 + k)
            if letter in _SHORT_REFUSED:
                refused = _REFUSED[_SHORT_REFUSED[letter]]
                raise CurlError(f"Option -{letter} at {where} is not supported: it {refused}.")
            raise CurlError(f"Unknown option -{letter} at {where}.")
        long_name = _SHORT[letter]
        takes_value = long_name in _WITH_VALUE or long_name in _IGNORED_WITH_VALUE
        if not takes_value:
            if long_name in _SWITCHES:
                _switch(parsed, _SWITCHES[long_name])
            else:
                parsed.notes.append(f"Ignored -{letter} ({long_name}): it does not change the request.")
            continue
        rest = letters[k + 1 :]
        if rest:
            value, next_i = Word(rest, word.start + 2 + k, word.quoted), i + 1
        else:
            value, next_i = _value_after(parsed, words, i, f"-{letter}"), i + 2
        if long_name in _IGNORED_WITH_VALUE:
            shown = _shown(long_name, value.text)
            parsed.notes.append(f"Ignored -{letter} {shown}: it does not change the request.")
        else:
            _apply(parsed, _WITH_VALUE[long_name], value, f"-{letter}")
        return next_i
    return i + 1


def _switch(parsed: ParsedCurl, key: str) -> None:
    setattr(parsed, key, True)


def _apply(parsed: ParsedCurl, key: str, value: Word, option: str) -> None:
    text = value.text
    if key == "method":
        parsed.method = text.upper()
    elif key == "header":
        parsed.headers.append((text, value.start))
    elif key in ("data", "data-raw", "data-binary", "data-urlencode", "json"):
        parsed.data.append(DataArg(option if key != "data" else "--data", text, value.start, option))
        if key == "json":
            parsed.extra_headers += [("Content-Type", "application/json"), ("Accept", "application/json")]
    elif key in ("form", "form-string"):
        canonical = "--form-string" if key == "form-string" else "--form"
        parsed.forms.append(DataArg(canonical, text, value.start, option))
    elif key == "user":
        parsed.user = text
    elif key == "bearer":
        parsed.bearer = text
    elif key == "url":
        _set_url(parsed, value)
    elif key == "user-agent":
        parsed.extra_headers.append(("User-Agent", text))
    elif key == "referer":
        parsed.extra_headers.append(("Referer", text.split(";auto")[0]))
    elif key == "cookie":
        if "=" in text:
            parsed.extra_headers.append(("Cookie", text))
        else:
            parsed.notes.append(f"Ignored {option} {text}: reading cookies from a file is not supported.")
