"""The stable finding codes: one per cause, documented in docs/findings.md.

Editors, CI scripts and severity overrides refer to these strings, so a code
never changes meaning once released.
"""

SYNTAX = "OS001"
SCHEMA_VALUE = "OS100"
UNKNOWN_KEY = "OS101"
MISSING_REQUIRED = "OS102"
UNKNOWN_PASS_PARAM = "OS103"
UNKNOWN_PASS_TYPE = "OS110"
PASS_TYPE_CASE = "OS111"
UNDEFINED_DATA_CONFIG = "OS120"
UNDEFINED_SYSTEM = "OS121"
UNDEFINED_EVALUATOR = "OS122"
QLORA_INT4_BUILDER = "OS130"

DESCRIPTIONS: dict[str, str] = {
    SYNTAX: "The file is not valid JSON.",
    SCHEMA_VALUE: "A value has the wrong type or is not one of the allowed values.",
    UNKNOWN_KEY: "A key that Olive does not know at this place.",
    MISSING_REQUIRED: "A required key is missing.",
    UNKNOWN_PASS_PARAM: "A pass parameter that the pass does not have; Olive ignores it and uses the default.",
    UNKNOWN_PASS_TYPE: "A pass type that Olive does not have.",
    PASS_TYPE_CASE: "A pass type written in another case than its canonical name.",
    UNDEFINED_DATA_CONFIG: "A reference to a data config that `data_configs` does not define.",
    UNDEFINED_SYSTEM: "A reference to a system that `systems` does not define.",
    UNDEFINED_EVALUATOR: "A reference to an evaluator that `evaluators` does not define.",
    QLORA_INT4_BUILDER: "QLoRA followed by an int4 ModelBuilder, which the model builder does not support.",
}
