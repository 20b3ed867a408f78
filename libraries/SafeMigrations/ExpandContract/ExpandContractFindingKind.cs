namespace SafeMigrations.ExpandContract;

/// <summary>What is wrong with a migration, by the expand/contract check.</summary>
public enum ExpandContractFindingKind
{
    /// <summary>The migration breaks a rule, and no <see cref="ExpandContractReviewedAttribute"/> accepts it.</summary>
    RuleBroken,

    /// <summary>A marker gives no reason: a review says why breaking the rule is safe.</summary>
    MarkerWithoutReason,

    /// <summary>A marker for a rule the migration does not break: it would hide a later edit that does.</summary>
    MarkerAcceptsNothing,
}
