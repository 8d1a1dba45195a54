"""Materialised tree paths: a record's place in the organisation tree as a digit string.

A path is the ids of a unit's ancestors and of the unit itself, each as a fixed-width segment of
`PATH_SEGMENT` digits, from the root down. The subtree of P is then exactly the strings >= P and
< `upper_bound(P)`, one index range scan whatever the depth. The registry (`orgs`) builds the paths;
the policy and every module compare them with these functions, without needing the registry.
"""

from typing import Protocol

PATH_SEGMENT = 10  # digits per level: ids up to 9.999.999.999


class InTree(Protocol):
    """Anything with a place in the tree (a unit): what code below the registry may ask of a unit."""

    path: str


def path_segment(unit_id: int) -> str:
    """One level of a path: the unit's id, zero-padded to PATH_SEGMENT digits."""
    return str(unit_id).zfill(PATH_SEGMENT)


def path_upper_bound(path: str) -> str:
    """The smallest path that is greater than every path in the subtree of `path`.

    Paths are digit strings of fixed-width segments, so the subtree of P is exactly the
    strings >= P and < P + 1 (the same number of digits, incremented).
    """
    return str(int(path) + 1).zfill(len(path))


def path_ids(path: str) -> list[int]:
    """The unit ids along `path`, from the root down to the unit itself."""
    return [int(path[i : i + PATH_SEGMENT]) for i in range(0, len(path), PATH_SEGMENT)]
