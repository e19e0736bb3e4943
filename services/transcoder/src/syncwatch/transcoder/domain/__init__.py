"""Pure rules of the transcoder service: no I/O, unit-tested."""
