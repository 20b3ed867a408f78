namespace SafeMigrations.Locks;

/// <summary>
/// Marks a migration whose time under a lock that blocks the app was reviewed and accepted, for the reason given: the
/// worker's lock budget (<c>Migrations:MaxLockedTime</c>) then lets it run whatever its estimate. Put it on the
/// migration's class, where a reader of the migration sees it; prefer the online form where there is one.
/// </summary>
/// <param name="reason">Why blocking the app that long is acceptable here (a maintenance window, a table the app never writes). Required.</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LockTimeReviewedAttribute(string reason) : Attribute
{
    /// <summary>Why blocking the app that long is acceptable here.</summary>
    public string Reason { get; } = reason;
}
