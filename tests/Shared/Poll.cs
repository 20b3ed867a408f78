namespace TestSupport;

/// <summary>The one way tests wait for something that has no event to wait on: ask again until it holds, within the deadline.</summary>
public static class Poll
{
    /// <summary>Asks <paramref name="probe"/> every <paramref name="interval"/> (default 250 ms) until <paramref name="done"/> holds; returns that answer.</summary>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan? interval = null)
    {
        using var deadline = TestDeadline.Start();
        while (true)
        {
            var answer = await probe(deadline.Token);
            if (done(answer))
            {
                return answer;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }

    /// <summary>Asks <paramref name="condition"/> until it is true.</summary>
    public static Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan? interval = null) =>
        UntilAsync(condition, holds => holds, interval);
}
