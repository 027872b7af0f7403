"""The text stage: normalisation, tokens and sentences, all with offsets into the original string."""
