"""desk_db: the desk's own database, beside the spreadsheet contract.

The spreadsheet is where coordinators work; this database holds what must
survive a wiped disk and be shared by every web and worker instance, but is
no coordinator's business: the intake journal (`journal`), the locks that
keep one flusher and one sync at a time (`engine`), the sync's memory and the
archive, and which spreadsheet all this serves (`served`). SQLite in the data
folder on one machine, PostgreSQL with `DATABASE_URL` on a platform.

Both `webhooks` and `sync` use it; it imports neither. Each table has its
home in one module here.
"""

from .engine import SQLITE_FILE, Database, DatabaseUnavailable, Lock, open_database

__all__ = ["SQLITE_FILE", "Database", "DatabaseUnavailable", "Lock", "open_database"]
