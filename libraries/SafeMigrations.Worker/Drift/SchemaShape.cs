namespace SafeMigrations.Worker;

/// <summary>
/// What <c>--drift</c> compares of a database's schema, read either from EF Core's model of the last applied migration
/// (<see cref="MigratedSchema"/>) or from PostgreSQL's catalog (<see cref="LiveSchema"/>): tables with their columns,
/// indexes and constraints, and sequences. Triggers, functions, views and other objects migrations create by SQL are
/// not in EF Core's model, so they are not compared.
/// </summary>
/// <param name="Tables">The tables by <see cref="DriftNames.Table"/>.</param>
/// <param name="Sequences">The sequences that are not a column's own (identity and serial columns own theirs), by qualified name.</param>
internal sealed record SchemaShape(IReadOnlyDictionary<string, TableShape> Tables, IReadOnlySet<string> Sequences);

/// <summary>One table.</summary>
/// <param name="Schema">Its schema.</param>
/// <param name="Name">Its name.</param>
/// <param name="Columns">Its columns by name.</param>
/// <param name="Indexes">Its indexes that back no constraint, by name.</param>
/// <param name="Constraints">Its primary key, unique, foreign key and check constraints, by name.</param>
internal sealed record TableShape(string Schema, string Name, IReadOnlyDictionary<string, ColumnShape> Columns,
    IReadOnlyDictionary<string, IndexShape> Indexes, IReadOnlyDictionary<string, ConstraintShape> Constraints);

/// <summary>One column.</summary>
/// <param name="Type">Its type as PostgreSQL spells it (<c>character varying(200)</c>), see <see cref="StoreTypes"/>.</param>
/// <param name="Nullable">Whether it accepts NULL.</param>
/// <param name="Default">Its default, normalized (<see cref="StoreTypes.Default"/>); null when it has none.</param>
/// <param name="Generation">How its value is generated: <c>identity</c>, <c>computed</c>, or null.</param>
internal sealed record ColumnShape(string Type, bool Nullable, string? Default, string? Generation);

/// <summary>One index that backs no constraint.</summary>
/// <param name="Unique">Whether it is unique.</param>
/// <param name="Columns">Its key columns in order; empty for an expression index.</param>
/// <param name="Partial">Whether it has a filter (<c>WHERE</c>).</param>
internal sealed record IndexShape(bool Unique, string Columns, bool Partial);

/// <summary>One constraint.</summary>
/// <param name="Kind">primary key, unique, foreign key or check.</param>
/// <param name="Definition">Its columns (and for a foreign key, what it references and its ON DELETE action); empty for a check.</param>
internal sealed record ConstraintShape(string Kind, string Definition);
