namespace SafeMigrations.Schema.Sql;

/// <summary>What one step of a PL/pgSQL body is, as far as reading it for schema changes and data loss goes.</summary>
internal enum ProcedureStepKind
{
    /// <summary>An SQL statement the body runs (<c>UPDATE …</c>, <c>ALTER TABLE …</c>, <c>PERFORM …</c> as <c>SELECT …</c>).</summary>
    Statement,

    /// <summary>An expression it evaluates (a condition, an assignment, <c>RAISE</c>'s arguments): only its function calls matter.</summary>
    Expression,

    /// <summary>SQL built at run time (<c>EXECUTE</c> of anything but a constant string): nothing can be said of it.</summary>
    DynamicSql,
}

/// <summary>One step of a PL/pgSQL body (<see cref="PlpgsqlBody"/>).</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Statement">Its tokens.</param>
internal sealed record ProcedureStep(ProcedureStepKind Kind, SqlStatement Statement);
