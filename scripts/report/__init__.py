"""The static campaign report (`make report`, issue 16): HTML pages built from the marts."""
