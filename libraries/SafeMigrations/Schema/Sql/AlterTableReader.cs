namespace SafeMigrations.Schema.Sql;

/// <summary>
/// <c>ALTER TABLE</c>: each action's schema change (add, drop, rename, retype a column, <c>SET NOT NULL</c>,
/// <c>SET DEFAULT</c>, rename the table), the data a drop or a retype destroys, and any action it does not know.
/// </summary>
internal static class AlterTableReader
{
    // Actions that change no column's data and no name (constraints, storage, triggers, ownership, partitions, …).
    private static readonly HashSet<string> HarmlessActions =
    [
        "attach", "cluster", "detach", "disable", "enable", "force", "inherit", "no", "not", "of", "owner", "replica",
        "reset", "validate",
    ];

    // What ADD introduces when it adds a constraint rather than a column.
    private static readonly HashSet<string> ConstraintStarts = ["constraint", "primary", "unique", "check", "foreign", "exclude"];

    public static StatementReading Read(TokenCursor cursor, StatementReading reading)
    {
        cursor.Accept("alter");
        cursor.Accept("foreign");
        cursor.Accept("table");
        if (cursor.Accept("all"))
        {
            return reading; // ALL IN TABLESPACE … SET TABLESPACE: moves tables.
        }

        cursor.Accept("if", "exists");
        cursor.Accept("only");
        if (cursor.ReadName() is not { } table)
        {
            return reading.Refuse("names no table the reader can read");
        }

        if (cursor.Current is { Kind: SqlTokenKind.Operator, Text: "*" })
        {
            cursor.Position++;
        }

        foreach (var (start, end) in cursor.SplitAtCommas())
        {
            Action(new TokenCursor(cursor.Statement.Slice(start, end)), table, reading);
        }

        return reading;
    }

    private static void Action(TokenCursor action, SqlName table, StatementReading reading)
    {
        var keyword = action.Current.Value;
        action.Position++;
        switch (keyword)
        {
            case "add":
                Add(action, table, reading);
                break;
            case "drop" when !action.Current.Is("constraint"):
                action.Accept("column");
                action.Accept("if", "exists");
                if (action.ReadName() is not { } dropped)
                {
                    reading.Refuse("drops something the reader cannot name");
                    break;
                }

                Change(reading, SchemaChangeKind.DropColumn, table, dropped.Name);
                reading.Changed.Add(table.Name);
                reading.Losses.Add(new(
                    new DataLoss(DataLossKind.DropColumn, $"{table}.{dropped.Name}", reading.Statement, CountSql.Values(table, dropped.Name), null, true),
                    new HashSet<string> { table.Name }));
                break;
            case "drop":
                break; // DROP CONSTRAINT: the rows stay.
            case "alter" when action.Current.Is("constraint"):
                break;
            case "alter":
                AlterColumn(action, table, reading);
                break;
            case "rename":
                Rename(action, table, reading);
                break;
            case "set" when action.Current.Is("schema"):
                reading.Renamed.Add(table.Name);
                break;
            case "set":
                break; // tablespace, (storage parameters), logged/unlogged, without cluster, access method
            default:
                if (!HarmlessActions.Contains(keyword))
                {
                    reading.Refuse($"is an ALTER TABLE action the reader does not know ({keyword.ToUpperInvariant()})");
                }

                break;
        }
    }

    private static void Add(TokenCursor action, SqlName table, StatementReading reading)
    {
        action.Accept("column");
        action.Accept("if", "not", "exists");
        if (ConstraintStarts.Contains(action.Current.Value) && action.Current.Kind == SqlTokenKind.Word || action.ReadName() is not { } column)
        {
            return; // a constraint
        }

        var definition = action.Statement.Tokens.Skip(action.Position).ToList();
        Change(reading, SchemaChangeKind.AddColumn, table, column.Name);
        if (definition.Any(t => t.Is("default") || t.Is("generated")))
        {
            Change(reading, SchemaChangeKind.SetDefault, table, column.Name);
        }

        if (definition.Zip(definition.Skip(1)).Any(p => p.First.Is("not") && p.Second.Is("null")))
        {
            Change(reading, SchemaChangeKind.SetNotNull, table, column.Name);
        }

        reading.Changed.Add(table.Name);
        reading.AddedColumns.Add($"{table.Name}.{column.Name}");
    }

    private static void AlterColumn(TokenCursor action, SqlName table, StatementReading reading)
    {
        action.Accept("column");
        if (action.ReadName() is not { } column)
        {
            reading.Refuse("alters a column the reader cannot name");
            return;
        }

        if (action.Accept("type") || action.Accept("set", "data", "type"))
        {
            Change(reading, SchemaChangeKind.ChangeColumnType, table, column.Name);
            reading.Changed.Add(table.Name);
            reading.Losses.Add(new(
                new DataLoss(DataLossKind.ChangeColumnType, $"{table}.{column.Name}", reading.Statement, CountSql.Values(table, column.Name), null, true),
                new HashSet<string> { table.Name }));
        }
        else if (action.Accept("set", "default"))
        {
            Change(reading, SchemaChangeKind.SetDefault, table, column.Name);
        }
        else if (action.Accept("set", "not", "null"))
        {
            Change(reading, SchemaChangeKind.SetNotNull, table, column.Name);
        }

        // DROP DEFAULT, DROP NOT NULL, SET STATISTICS / STORAGE / COMPRESSION, identity and expression changes keep the values.
    }

    private static void Rename(TokenCursor action, SqlName table, StatementReading reading)
    {
        if (action.Accept("to"))
        {
            Change(reading, SchemaChangeKind.RenameTable, table, null);
            reading.Renamed.Add(table.Name);
            if (action.ReadName() is { } newName)
            {
                reading.Renamed.Add(newName.Name);
            }
        }
        else if (!action.Current.Is("constraint"))
        {
            action.Accept("column");
            if (action.ReadName() is { } column)
            {
                Change(reading, SchemaChangeKind.RenameColumn, table, column.Name);
            }

            reading.Renamed.Add(table.Name);
            reading.Changed.Add(table.Name);
        }
    }

    private static void Change(StatementReading reading, SchemaChangeKind kind, SqlName table, string? column) =>
        reading.Changes.Add(new(kind, table.Schema, table.Name, column, "Sql"));
}
