namespace SafeMigrations.ExpandContract;

/// <summary>
/// The changes that break the release still serving while a migration is applied (and that a rollback relies on),
/// checked for every migration of an assembly by <see cref="ExpandContractCheck"/>. A migration that must make one
/// carries an <see cref="ExpandContractReviewedAttribute"/> for it.
/// </summary>
public enum ExpandContractRule
{
    /// <summary>Dropping a table or a column the previous release still reads or writes.</summary>
    DropsTableOrColumn,

    /// <summary>Renaming a table or a column: to the previous release, the old name is gone.</summary>
    RenamesTableOrColumn,

    /// <summary>Changing a column's type: the previous release reads and writes the old one (and the table is rewritten).</summary>
    ChangesColumnType,

    /// <summary>Making a column NOT NULL without a default: the previous release's inserts do not set it.</summary>
    NotNullWithoutDefault,

    /// <summary>A plain <c>CREATE INDEX</c> on an existing table: writes wait for the whole build.</summary>
    BlockingIndexOnExistingTable,
}
