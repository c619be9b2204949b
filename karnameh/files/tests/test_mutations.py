"""Any file at all gets an answer: a damaged copy of a good file is kept or refused, never a crash.

A crash here is a server error for the person uploading; the corpus alone missed one (a broken
deflate stream inside a ZIP entry raised zlib.error straight through).
"""

from functools import cache
from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st

from karnameh.files.checks import KINDS, Refused, sniff

from .good import GOOD

# (what, where as a share of the length, bytes): overwrite, delete, insert or cut there.
_MUTATION = st.tuples(
    st.sampled_from(["overwrite", "delete", "insert", "cut"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.binary(min_size=1, max_size=16),
)


@cache
def _good(index: int) -> bytes:
    return GOOD[index].make()


def _mutated(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for what, share, chunk in mutations:
        at = int(share * len(out))
        if what == "overwrite":
            out[at : at + len(chunk)] = chunk
        elif what == "delete":
            del out[at : at + 8 * len(chunk)]
        elif what == "insert":
            out[at:at] = chunk
        else:
            del out[at:]
    return bytes(out)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(index=st.integers(0, len(GOOD) - 1), mutations=st.lists(_MUTATION, min_size=1, max_size=4))
def test_a_damaged_good_file_is_kept_or_refused_never_a_crash(index, mutations):
    # given
    data = _mutated(_good(index), mutations)
    # when
    try:
        kind = sniff(BytesIO(data))
    except Refused as refused:
        # then: refused with a phrase for the person
        assert refused.problem and refused.code
    else:
        # then: or kept as one of our kinds
        assert kind in KINDS
