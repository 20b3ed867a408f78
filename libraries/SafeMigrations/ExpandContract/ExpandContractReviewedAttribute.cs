namespace SafeMigrations.ExpandContract;

/// <summary>
/// Marks a migration whose <paramref name="rule"/> finding was reviewed and accepted, for the reason given: the
/// expand/contract check then lets that rule pass for this migration (and only that rule). Put it on the migration's
/// class, where a reader of the migration sees it.
/// </summary>
/// <param name="rule">The rule that was reviewed.</param>
/// <param name="reason">Why breaking it is safe here. Required: the check refuses an empty one.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ExpandContractReviewedAttribute(ExpandContractRule rule, string reason) : Attribute
{
    /// <summary>The rule that was reviewed.</summary>
    public ExpandContractRule Rule { get; } = rule;

    /// <summary>Why breaking it is safe here.</summary>
    public string Reason { get; } = reason;
}
