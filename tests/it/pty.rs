//! Pseudo-terminal tests: the real binary at a real prompt.
