"""The chat service's rules, as pure functions and values: no I/O, unit-tested."""
