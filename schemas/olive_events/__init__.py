"""olive_events: the contract between a run and everything that shows it.

The event types (``contract``), the one builder of envelopes (``sink.EventSink``), the run's progress
(``progress``), the JSON Schema and validator generated from the types (``schema``), the docs and TypeScript
renderings (``render``), and where runs keep their summaries (``history``). Imports nothing else of Olive
Studio: the runner, the language server and the CLI all build on it.
"""
