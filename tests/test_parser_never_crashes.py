"""Whatever is done to the sample dump, the parser returns forms and errors; only decode() may refuse bytes."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.parsing import INTERNAL_ERROR, FormError, ParsedForm, ParseError, decode, parse_bytes, parse_text

SAMPLE = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.split("\n")

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5", "shift_jis", "latin-1"]


@st.composite
def line_edits(draw):
    """Dropped, duplicated and tab-shifted lines of the sample."""
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "duplicate", "add_tab", "remove_tab", "blank"]))
        if edit == "drop":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, lines[at])
        elif edit == "blank":
            lines.insert(at, "")
        else:
            line = lines[at]
            tabs = [i for i, char in enumerate(line) if char == "\t"]
            column = draw(st.integers(0, len(line)))
            if edit == "add_tab":
                lines[at] = line[:column] + "\t" + line[column:]
            elif tabs:
                cut = draw(st.sampled_from(tabs))
                lines[at] = line[:cut] + line[cut + 1:]
    return "\n".join(lines)


@st.composite
def byte_edits(draw, text):
    """The text in some encoding, possibly truncated, with random bytes inserted."""
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


def assert_sound(result, text_lines: int):
    forms, errors = result
    assert isinstance(forms, list) and isinstance(errors, list)
    assert all(isinstance(form, ParsedForm) for form in forms)
    assert all(isinstance(error, FormError) for error in errors)
    for item in forms + errors:
        first, last = item.lines
        assert 1 <= first <= last <= text_lines
    # The safety net for bugs must never be what caught a broken form.
    assert not any(error.message.startswith(INTERNAL_ERROR) for error in errors)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_bytes_parse_or_are_refused(data):
    text = data.draw(line_edits())
    raw = data.draw(byte_edits(text))
    try:
        result = parse_bytes(raw, "dump.txt")
    except ParseError:
        return
    assert_sound(result, decode(raw).count("\n") + 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=line_edits(), encoding=st.sampled_from(ENCODINGS), misread_as=st.sampled_from(ENCODINGS))
def test_text_decoded_with_the_wrong_encoding_still_parses(text, encoding, misread_as):
    garbled = text.encode(encoding, errors="replace").decode(misread_as, errors="replace")
    assert_sound(parse_text(garbled, "dump.txt"), garbled.count("\n") + garbled.count("\r") + 1)


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(0, len(SAMPLE_TEXT)), noise=st.text(max_size=20))
def test_truncated_text_with_noise_parses(cut, noise):
    text = SAMPLE_TEXT[:cut] + noise
    assert_sound(parse_text(text), text.count("\n") + text.count("\r") + 1)
