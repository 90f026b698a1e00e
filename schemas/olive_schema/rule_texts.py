"""The wording of rules that the checker reports and the runner enforces, so both say the same thing.

The checker warns while the user types; the runner refuses when the run reaches the pass. A user who sees both
must read one cause and one fix.
"""

from __future__ import annotations


def qlora_then_int4(qlora_pass: str | None = None, quantization: str = "4-bit") -> str:
    """ONNX Runtime GenAI's builder cannot take a QLoRA-tuned model to int4 (the seed's own caveat)."""
    which = f'QLoRA (pass "{qlora_pass}")' if qlora_pass else "QLoRA"
    return (
        f"{which} fine-tunes on a {quantization}-quantized base, and ONNX Runtime GenAI's "
        "builder cannot convert such a model to int4. Fine-tune with LoRA instead, or build with precision "
        "fp32 (CPU) or fp16/bf16 (CUDA)."
    )
