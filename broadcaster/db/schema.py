"""Imports every table module so ``SQLModel.metadata`` knows the whole schema.

Add one import line per new table module.
"""

from . import (
    tables,  # noqa: F401
    tables_accounts,  # noqa: F401
    tables_airings,  # noqa: F401
    tables_devices,  # noqa: F401
    tables_distribution,  # noqa: F401
    tables_plan_edits,  # noqa: F401
    tables_plans,  # noqa: F401
    tables_presence,  # noqa: F401
    tables_segments,  # noqa: F401
)
