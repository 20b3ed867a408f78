namespace SafeMigrations.Schema;

/// <summary>
/// A statement (or an operation) of a down-migration the reader cannot classify as harmless: it may destroy data, and
/// nothing can count what. Only consent lets it run.
/// </summary>
/// <param name="Statement">Its first words (<c>EXECUTE format('DROP TABLE %I', …</c>), or the operation's name.</param>
/// <param name="Reason">Why it is not classified (<c>runs SQL built at run time</c>).</param>
public sealed record UnclassifiedStatement(string Statement, string Reason)
{
    /// <summary>One clause of a refusal: <c>EXECUTE format(…) …: runs SQL built at run time</c>.</summary>
    public string Describe() => $"{Statement}: {Reason}";
}
