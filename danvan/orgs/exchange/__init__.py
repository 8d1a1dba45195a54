"""Unit import and export: the unit file, checking it row by row, applying it, writing it out.

The file is CSV or the first sheet of an XLSX workbook (read by `danvan.core.tables`): one header
row naming exactly the columns of `fileformat.COLUMNS` (in any order), then one row per version
of a unit.

- `groups` and `predecessors` hold codes separated by ";"; dates are ISO (YYYY-MM-DD);
- `valid_to` is the first day the row no longer holds (exclusive, like UnitVersion.valid_to);
  empty means still in force;
- rows with the same code are the unit's successive versions (rename, move, regrouping): they
  follow one another without gap or overlap, and the last row's `valid_to`, if any, is the day
  the unit is dissolved;
- `predecessors` on a row: the units this unit succeeds from that row's `valid_from` (a merge
  when there are several, a split when one unit is the predecessor of several); each must have
  ended on that day or earlier.

The modules, in the order an import goes through them:

- `fileformat`: the columns, reading the file, parsing each row on its own;
- `plan`: checking the rows together (versions in sequence, parents, predecessors, cycles,
  permissions);
- `apply`: replaying a checked file through the services in one transaction, and the import as
  a whole (`import_file`);
- `jobs`: uploads kept as UnitImport rows and run in the background;
- `export`: the units written back out, every version or a snapshot on a date.

Every change to units goes through orgs.services.
"""
