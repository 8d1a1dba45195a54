"""The emulation package's own pages in the permission matrix (each part lists its own)."""

from danvan.accounts.policy import Perm


def register(matrix):
    matrix.read("emulation:home", perm=Perm.EMULATION_VIEW)
