namespace SafeMigrations.Schema;

/// <summary>What a migration step does to a table or column, as far as the migration guards are concerned.</summary>
public enum SchemaChangeKind
{
    /// <summary><c>CREATE TABLE</c>.</summary>
    CreateTable,

    /// <summary><c>DROP TABLE</c>: the table's rows are gone.</summary>
    DropTable,

    /// <summary><c>ALTER TABLE … RENAME TO</c>.</summary>
    RenameTable,

    /// <summary><c>ALTER TABLE … ADD COLUMN</c>.</summary>
    AddColumn,

    /// <summary><c>ALTER TABLE … DROP COLUMN</c>: the column's values are gone.</summary>
    DropColumn,

    /// <summary><c>ALTER TABLE … RENAME COLUMN</c>.</summary>
    RenameColumn,

    /// <summary><c>ALTER COLUMN … TYPE</c>: the table is rewritten, and the old type's values converted.</summary>
    ChangeColumnType,

    /// <summary>A column made <c>NOT NULL</c>, added as such or altered.</summary>
    SetNotNull,

    /// <summary>A column given a default (or an identity or a generated value), added as such or altered.</summary>
    SetDefault,

    /// <summary>A plain <c>CREATE INDEX</c>: it blocks writes to the table while it builds.</summary>
    CreateIndex,

    /// <summary><c>CREATE INDEX CONCURRENTLY</c>: reads and writes go on while it builds.</summary>
    CreateIndexConcurrently,
}
