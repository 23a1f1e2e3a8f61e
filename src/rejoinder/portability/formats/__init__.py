"""One reader per format: a file in, neutral records (`portability.records`) out."""
