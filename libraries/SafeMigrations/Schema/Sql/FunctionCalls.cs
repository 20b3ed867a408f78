namespace SafeMigrations.Schema.Sql;

/// <summary>
/// The functions an expression calls, and whether each is one of PostgreSQL's built-ins that change no data: a call of
/// any other function (one of the application's, <c>lo_unlink</c>, <c>dblink_exec</c>, …) can do anything, so the
/// statement that makes it cannot be classified.
/// </summary>
internal static class FunctionCalls
{
    // Keywords and type names written before a parenthesis that are not calls: IN (…), EXISTS (…), varchar(200), ….
    private static readonly HashSet<string> NotCalls =
    [
        "all", "and", "any", "array", "as", "between", "by", "case", "cast", "check", "collate", "conflict", "cube",
        "default", "distinct", "do", "else", "except", "exists", "filter", "for", "from", "group", "grouping", "having",
        "ilike", "in", "include", "intersect", "into", "is", "join", "lateral", "like", "not", "of", "on", "only", "or",
        "order", "over", "partition", "primary", "recursive", "references", "returning", "rollup", "row", "rows",
        "select", "set", "sets", "similar", "some", "table", "then", "union", "unique", "using", "values", "when",
        "where", "window", "with", "within",
        "bit", "char", "character", "dec", "decimal", "float", "interval", "nchar", "numeric", "time", "timestamp",
        "timestamptz", "timetz", "varbit", "varchar", "varying",
    ];

    // Built-ins that read, compute or take locks, and write no table: what migrations' SQL calls (the online helpers'
    // set_config, to_regclass, min, clock_timestamp, …), and what conditions on the catalog use.
    private static readonly HashSet<string> Harmless =
    [
        // aggregates and window functions
        "count", "min", "max", "sum", "avg", "bool_and", "bool_or", "every", "array_agg", "string_agg", "json_agg",
        "jsonb_agg", "json_object_agg", "jsonb_object_agg", "row_number", "rank", "dense_rank", "lag", "lead",
        "first_value", "last_value",
        // conditionals, math, strings, arrays, JSON
        "coalesce", "nullif", "greatest", "least", "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod",
        "power", "sqrt", "random", "length", "char_length", "octet_length", "lower", "upper", "substr", "substring",
        "replace", "concat", "concat_ws", "format", "left", "right", "trim", "btrim", "ltrim", "rtrim", "lpad", "rpad",
        "repeat", "split_part", "strpos", "position", "overlay", "normalize", "starts_with", "md5", "encode", "decode",
        "regexp_replace", "regexp_match", "regexp_matches", "quote_ident", "quote_literal", "quote_nullable",
        "string_to_array", "array_to_string", "array_length", "cardinality", "unnest", "generate_series",
        "to_json", "to_jsonb", "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
        // time
        "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "date_trunc",
        "date_part", "extract", "age", "make_interval", "make_date", "make_timestamp", "make_timestamptz",
        "to_timestamp", "to_char", "to_date", "to_number",
        // catalog, settings, session
        "to_regclass", "to_regtype", "to_regproc", "to_regprocedure", "to_regnamespace", "to_regrole",
        "to_regoper", "to_regoperator", "to_regcollation", "format_type", "pg_get_indexdef", "pg_get_constraintdef",
        "pg_get_viewdef", "pg_get_expr", "pg_table_is_visible", "pg_relation_size", "pg_total_relation_size",
        "pg_table_size", "pg_indexes_size", "obj_description", "col_description", "has_table_privilege",
        "has_column_privilege", "has_schema_privilege", "has_database_privilege", "has_function_privilege",
        "has_sequence_privilege", "pg_has_role", "current_setting", "set_config", "current_database",
        "current_schema", "current_schemas", "version", "pg_backend_pid", "txid_current", "pg_current_xact_id",
        "pg_sleep", "pg_advisory_lock", "pg_advisory_unlock", "pg_advisory_xact_lock", "pg_try_advisory_lock",
        "pg_try_advisory_xact_lock", "pg_advisory_unlock_all", "pg_advisory_lock_shared",
        "pg_advisory_unlock_shared",
    ];

    /// <summary>The names of the functions the statement calls (schema left out).</summary>
    public static IEnumerable<string> Of(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        for (var k = 0; k + 1 < tokens.Count; k++)
        {
            if (!tokens[k].IsName || !tokens[k + 1].IsPunctuation("(") || k > 0 && tokens[k - 1].IsPunctuation("::"))
            {
                continue;
            }

            // A schema other than pg_catalog holds the application's functions, whatever their names.
            if (k >= 2 && tokens[k - 1].IsPunctuation(".") && tokens[k - 2].IsName)
            {
                yield return tokens[k - 2].Value == "pg_catalog" ? tokens[k].Value : $"{tokens[k - 2].Value}.{tokens[k].Value}";
            }
            else if (tokens[k].Kind == SqlTokenKind.QuotedIdentifier || !NotCalls.Contains(tokens[k].Value))
            {
                yield return tokens[k].Value;
            }
        }
    }

    /// <summary>The first function the statement calls that is not known to leave data alone; null when there is none.</summary>
    public static string? FirstUnknown(SqlStatement statement) =>
        Of(statement).FirstOrDefault(name => !Harmless.Contains(name));

    /// <summary>The built-ins taken as harmless (for the cross-check against PostgreSQL's parser).</summary>
    public static IReadOnlyCollection<string> KnownHarmless => Harmless;
}
