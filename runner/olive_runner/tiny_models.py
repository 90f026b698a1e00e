"""A tiny Phi-3 the tests build offline: random weights and a tokenizer trained on a built-in text, in seconds.

It exercises every native pass (LoRA, merge, ONNX Runtime GenAI's builder) the way a real Phi-3 would, without
a model hub (the machines this runs on have none). Heavy libraries (torch, transformers, tokenizers) are
imported inside the functions so that importing ``olive_runner`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

TINY_BOS, TINY_EOS, TINY_PAD, TINY_UNK = "<s>", "</s>", "<pad>", "<unk>"
TINY_VOCAB_SIZE = 2048

TONE_LABELS = ("sad", "joy", "fear", "surprise")
TONE_TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"

# A built-in text for the tokenizer: ordinary sentences plus the phrase/tone task's template and labels,
# so that the labels and template words become whole tokens (LoRA then learns one token per label).
_TINY_SENTENCES = (
    "The last train left the station and the platform went quiet.",
    "We won the match and everyone cheered in the rain!",
    "Something moved behind the door in the dark hallway.",
    "You baked a cake for me without telling anyone?",
    "The old dog sleeps by the empty chair every evening.",
    "The garden is full of flowers and the children are laughing.",
    "I heard footsteps on the stairs but nobody is home.",
    "The letter arrived ten years after it was posted.",
    "She waved goodbye and the house felt cold again.",
    "Our team finally finished the project and we celebrated.",
    "The lights flickered and the phone line went dead.",
    "He opened the box and found a tiny kitten inside.",
    "Rain fell on the window while the music played softly.",
    "A model reads a phrase and names the tone of the text.",
    "Fine-tuning with LoRA adapts a small language model to a new task.",
    "The quick brown fox jumps over the lazy dog, and the cat watches.",
    "Numbers like 1, 2, 3, 10, 42 and 100 appear in text too.",
    "Questions end with a question mark? Statements end with a period. Wow!",
    "I you he she it we they me my your our their this that these those what who when where why how",
    "is are was were be been have has had do did will would can could should may might must not no yes",
    "a an the and or but if then so because with without from into onto over under after before again",
    "day night home friend family mother father child baby house door window room bed table chair phone",
    "love lost found left gone alone happy afraid scared shocked amazed cried smiled laughed screamed",
)


def tiny_tokenizer_corpus() -> list[str]:
    """The text the tiny tokenizer is trained on: deterministic, so the same vocabulary every time."""
    lines = list(_TINY_SENTENCES)
    for index, sentence in enumerate(_TINY_SENTENCES):
        tone = TONE_LABELS[index % len(TONE_LABELS)]
        lines.append(TONE_TEMPLATE.format(phrase=sentence, tone=tone))
    for tone in TONE_LABELS:
        lines.extend([f"The tone is: {tone}", f"### The tone is:\n{tone}", tone] * 8)
    return lines


def _train_tiny_tokenizer(corpus: Iterable[str]) -> Any:
    """A byte-level BPE (GPT-2 style, which ONNX Runtime GenAI's tokenizer reads) that adds BOS like Phi-3's."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE(unk_token=TINY_UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_VOCAB_SIZE,
        min_frequency=1,
        special_tokens=[TINY_UNK, TINY_BOS, TINY_EOS, TINY_PAD],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    bos_id = tokenizer.token_to_id(TINY_BOS)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{TINY_BOS} $A",
        pair=f"{TINY_BOS} $A {TINY_BOS} $B",
        special_tokens=[(TINY_BOS, bos_id)],
    )
    return tokenizer


def build_tiny_tokenizer() -> Any:
    """The tiny model's tokenizer as a ``PreTrainedTokenizerFast`` (bos/eos/pad/unk set)."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=_train_tiny_tokenizer(tiny_tokenizer_corpus()),
        bos_token=TINY_BOS,
        eos_token=TINY_EOS,
        pad_token=TINY_PAD,
        unk_token=TINY_UNK,
        model_max_length=512,
        padding_side="right",
    )


def tiny_phi3_config(vocab_size: int, bos_id: int, eos_id: int, pad_id: int) -> Any:
    """Phi-3 shaped like the real one but tiny.

    ``initializer_range=0.1``: with the default 0.02 the frozen random output layer caps the logits and LoRA
    never learns the labels. ``original_max_position_embeddings`` equals ``max_position_embeddings`` so the
    ONNX builder takes the plain RoPE path, not LongRoPE.
    """
    from transformers import Phi3Config

    return Phi3Config(
        vocab_size=vocab_size,
        hidden_size=256,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=4,
        intermediate_size=512,
        max_position_embeddings=512,
        original_max_position_embeddings=512,
        initializer_range=0.1,
        tie_word_embeddings=False,
        bos_token_id=bos_id,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
        architectures=["Phi3ForCausalLM"],
    )


def build_tiny_phi3(folder: Path, seed: int = 0) -> Path:
    """Write a random-initialised tiny Phi-3 (about 5 M parameters) and its tokenizer to ``folder``.

    Deterministic for a given ``seed``; takes seconds on a CPU. Returns ``folder``.
    """
    import torch
    from transformers import GenerationConfig, Phi3ForCausalLM

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tiny_tokenizer()
    config = tiny_phi3_config(
        vocab_size=len(tokenizer),
        bos_id=tokenizer.bos_token_id,
        eos_id=tokenizer.eos_token_id,
        pad_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Phi3ForCausalLM(config)
    model.generation_config = GenerationConfig(  # type: ignore[no-untyped-call]
        bos_token_id=config.bos_token_id, eos_token_id=config.eos_token_id, pad_token_id=config.pad_token_id
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
