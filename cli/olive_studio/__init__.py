"""olive_studio: the ``olive-studio`` command line, a thin layer over the config core, the runner and the server."""
