using System.Collections.Concurrent;

namespace TestSupport;

/// <summary>
/// Work a test run does once per key and shares (a publish, a compile: a process each). The first caller starts it and
/// the others await the same task; a failure fails its callers and is forgotten, so the next caller tries again.
/// </summary>
public sealed class OncePerKey<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _started = new();

    public async Task<T> GetAsync(string key, Func<Task<T>> start)
    {
        var started = _started.GetOrAdd(key, _ => new Lazy<Task<T>>(start));
        try
        {
            return await started.Value;
        }
        catch
        {
            _started.TryRemove(new(key, started));
            throw;
        }
    }
}
