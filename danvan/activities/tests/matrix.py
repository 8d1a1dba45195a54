"""The activities package's own pages in the permission matrix (each register lists its own)."""

from danvan.accounts.policy import Perm


def sample(world, unit):
    """A register that can be imported (a fake one while none is installed): not a record of a unit."""
    from danvan.activities import registers

    from .fakes import FAKE

    found = registers.importable()
    if not found:  # no register installed yet: the sample page is read for the package's fake one
        registers.register(FAKE)
        found = [FAKE]
    return {"kind": found[0].key}


def register(matrix):
    matrix.read("activities:home", perm=Perm.ACTIVITY_VIEW)
    matrix.read("activities:import", perm=Perm.ACTIVITY_RECORD)
    matrix.read("activities:import_sample", perm=Perm.ACTIVITY_RECORD, make=sample, shared=True)
