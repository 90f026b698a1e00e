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

KEY_NOT_IN_VERSION = "OS104"
KEY_NEWER_THAN_VERSION = "OS105"
PASS_TYPE_NOT_IN_VERSION = "OS112"
SEARCHABLE_WITHOUT_SEARCH = "OS140"
SEARCH_WITHOUT_EVALUATOR = "OS141"
RUNS_WITH_OLIVE_STUDIO = "OS150"
PASS_PRUNED = "OS170"
MISSING_USER_SCRIPT = "OS160"
MISSING_SCRIPT_DIR = "OS161"
MISSING_DATA_FILE = "OS162"
MISSING_MODEL_PATH = "OS163"
MISSING_PYTHON_ENV = "OS164"
FILE_CHECK_CODES = frozenset(
    {MISSING_USER_SCRIPT, MISSING_SCRIPT_DIR, MISSING_DATA_FILE, MISSING_MODEL_PATH, MISSING_PYTHON_ENV}
)

DESCRIPTIONS.update(
    {
        KEY_NOT_IN_VERSION: "A key that the target Olive version renamed or removed.",
        KEY_NEWER_THAN_VERSION: "A key that the target Olive version does not have yet.",
        PASS_TYPE_NOT_IN_VERSION: "A pass type that exists in other Olive versions but not in the target one.",
        SEARCHABLE_WITHOUT_SEARCH: '"SEARCHABLE_VALUES" or a list of values without a search strategy.',
        SEARCH_WITHOUT_EVALUATOR: "A search strategy without an evaluator to rank the candidates.",
        RUNS_WITH_OLIVE_STUDIO: "Azure ML, which Olive dropped in 0.9.3; Olive Studio's runner still runs it.",
        PASS_PRUNED: "A pass that Olive would skip on the target's execution provider.",
        MISSING_USER_SCRIPT: "A user script that does not exist.",
        MISSING_SCRIPT_DIR: "A script folder that does not exist.",
        MISSING_DATA_FILE: "A local data file that does not exist.",
        MISSING_MODEL_PATH: "A local model path that does not exist.",
        MISSING_PYTHON_ENV: "A Python environment folder without a Python executable.",
    }
)
