"""What the trained heads share: feature hashing, the one feature pass per document, linear heads,
calibration, the safe model-file format and training loops."""
