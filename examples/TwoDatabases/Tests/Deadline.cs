namespace Tests;

/// <summary>
/// A generous bound on every wait of a test, so that a hang fails instead of blocking the run; cancelled also when the
/// test run is.
/// </summary>
public static class Deadline
{
    /// <summary>Longer than anything here takes on a loaded machine, short enough to fail a hang in minutes.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    /// <summary>A token that fires after <see cref="Bound"/> or when the test is cancelled.</summary>
    public static CancellationTokenSource Start()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Bound);
        return source;
    }
}
