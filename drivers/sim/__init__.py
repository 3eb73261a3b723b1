"""Simulated devices for tests and the demo mode: real sockets and pseudo-terminals, never mocks of our code."""
