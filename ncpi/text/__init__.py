"""From raw bytes to the normalised article text that every span offset refers to."""
