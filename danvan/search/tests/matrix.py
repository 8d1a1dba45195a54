"""The one search in the permission matrix: the page and the API find another unit's record for nobody."""

from danvan.accounts.policy import Perm
from danvan.core.testing.matrix import Made


def indexed(world, unit):
    """A record of the unit in the index, found by a word every such record holds."""
    from danvan.search import services

    marker = f"Matrix{unit.code.replace('-', '')}"
    services.put(
        doc=services.Doc(
            kind="unit",
            object_id=900_000_000 + unit.pk,
            perm=Perm.UNIT_VIEW,
            unit_path=unit.path,
            title=f"Matrixsearch {marker}",
            url=f"/orgs/u/{unit.code}/",
        )
    )
    return Made({}, marker=marker, query={"q": "matrixsearch"})


def register(matrix):
    matrix.listing("search:results", perm=Perm.UNIT_VIEW, make=indexed)
    matrix.listing("api-search", perm=Perm.UNIT_VIEW, make=indexed)
