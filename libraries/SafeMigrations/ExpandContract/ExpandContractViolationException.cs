namespace SafeMigrations.ExpandContract;

/// <summary>
/// Thrown by <see cref="ExpandContractCheck.AssertFollowed"/>: migrations that break the release still serving. The
/// message lists every finding, one per line.
/// </summary>
public sealed class ExpandContractViolationException : Exception
{
    /// <summary>Creates the exception for <paramref name="findings"/>.</summary>
    /// <param name="findings">What the check found; at least one.</param>
    public ExpandContractViolationException(IReadOnlyList<ExpandContractFinding> findings)
        : base(MessageOf(findings))
    {
        Findings = findings;
    }

    /// <summary>What the check found, in the order of the migrations.</summary>
    public IReadOnlyList<ExpandContractFinding> Findings { get; }

    private static string MessageOf(IReadOnlyList<ExpandContractFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return string.Join(Environment.NewLine, findings.Select(f => f.Message));
    }
}
