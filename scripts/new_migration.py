"""Developer helper: autogenerate an Alembic revision from the SQLModel tables.

    .venv/bin/python scripts/new_migration.py 0002_segments "segments and audio"

It upgrades a scratch SQLite database to the current heads, then writes a revision whose
operations bring it to the models, and names it as HEAD_REVISION in broadcaster/db/engine.py
(the revision every command checks). Review both before committing them.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command

from broadcaster.db import Database, engine


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    rev_id, message = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        cfg = db._alembic_config()
        command.upgrade(cfg, "heads")
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        db.dispose()
    source = Path(engine.__file__)
    text, named = re.subn(
        r'^HEAD_REVISION = "[^"]*"$', f'HEAD_REVISION = "{rev_id}"', source.read_text(), flags=re.M
    )
    if named != 1:
        raise SystemExit(f"{source}: no HEAD_REVISION line to change; set it to {rev_id!r}")
    source.write_text(text)
    print(f"{source}: HEAD_REVISION = {rev_id!r}")


if __name__ == "__main__":
    main()
