using System.Diagnostics;
using SafeMigrations.Schema;

namespace SafeMigrations.Worker;

/// <summary>
/// What reverting <paramref name="Migration"/> may destroy: a <paramref name="Loss"/> (counted on the database when it
/// can be), or a statement the reader could not classify as harmless (<paramref name="Unclassified"/>), which only
/// consent lets run. Exactly one of the two is set.
/// </summary>
/// <param name="Migration">The migration's name (<c>AddDueDate</c>).</param>
/// <param name="Loss">What its Down destroys, and how to count it beforehand.</param>
/// <param name="Unclassified">What its Down does that the reader cannot classify.</param>
internal sealed record DataAtRisk(string Migration, DataLoss? Loss, UnclassifiedStatement? Unclassified)
{
    /// <summary>The query that counts what would be lost; null when it cannot be counted beforehand.</summary>
    public string? CountSql => Loss?.CountSql;

    /// <summary>Whether a missing table or column means nothing is lost (a drop), rather than an uncounted loss.</summary>
    public bool LosesNothingWhenAbsent => Loss?.LosesNothingWhenAbsent ?? false;

    /// <summary>One clause of the refusal or of the log: <c>AddDueDate drops Todos.DueDate: 42 non-null values</c>.</summary>
    public string Describe(long count) => $"{Migration} {Loss!.Describe(count)}";

    /// <summary>The clause for what was not counted: an uncountable loss, or a statement the reader cannot classify.</summary>
    public string DescribeUncounted() => (Loss, Unclassified) switch
    {
        ({ CountSql: null } loss, _) => $"{Migration} {loss.Describe()}",
        ({ } loss, _) => $"{Migration} {loss.Statement}: its count failed on this database, so what it destroys is not known",
        (_, { } statement) => $"{Migration} runs {statement.Describe()}, which the guard cannot classify",
        _ => throw new UnreachableException(),
    };
}
