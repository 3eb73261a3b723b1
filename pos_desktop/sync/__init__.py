"""The till's sync agent (docs/sync-protocol.md): enrolment, push of the outbox, pull of the change feed,
the sanity check, and the status the window and ``pos sync status`` show. Never imports Qt."""
