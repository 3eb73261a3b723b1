"""The central server (issue 5): FastAPI over SQLAlchemy, SQLite for one shop or PostgreSQL for a chain.

It enrols tills, ingests their pushed outbox events idempotently and projects them into sales and stock, serves
the change feed (master data and the other tills' stock movements), lets head office maintain master data, and
answers the integration API. The contract with the tills is ``docs/sync-protocol.md``; how to run it is
``docs/server.md``. Layers: this package imports ``pos_desktop.core``, ``pos_desktop.catalog_files``, its own
modules, SQLAlchemy and FastAPI — never the till's store, services, devices, UI or sync agent.
"""
