namespace TestSupport;

/// <summary>How long any one wait in a test may take: a hang fails the test instead of stalling the run.</summary>
public static class TestDeadline
{
    /// <summary>Long enough for a cold start on a slow, shared machine; short enough that a hang fails the run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>A cancellation source that fires after <see cref="Timeout"/> or when the test is cancelled.</summary>
    public static CancellationTokenSource Start()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Timeout);
        return source;
    }
}
