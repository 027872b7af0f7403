"""State-media register: set phrases, the register of state media, and its score."""
