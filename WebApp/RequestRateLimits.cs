namespace WebApp;

/// <summary>
/// How many requests one client address may make (section <c>RateLimiting</c>), reads and writes counted apart so a
/// burst of writes cannot lock a reader out. The health endpoints are never limited: probes must always get through.
/// </summary>
public sealed class RequestRateLimits
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RateLimiting";

    /// <summary>GET and HEAD requests (pages, API reads, static files): 200 per 10 s by default.</summary>
    public RateLimit Reads { get; set; } = new() { PermitLimit = 200, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Every other method (API and form writes): 20 per 10 s by default.</summary>
    public RateLimit Writes { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Reads the section; fails at startup, naming the key, when a value is out of range.</summary>
    public static RequestRateLimits From(IConfiguration configuration)
    {
        var limits = configuration.GetSection(SectionName).Get<RequestRateLimits>() ?? new RequestRateLimits();
        foreach (var (name, limit) in new[] { (nameof(Reads), limits.Reads), (nameof(Writes), limits.Writes) })
        {
            if (limit.PermitLimit < 1 || limit.Window < TimeSpan.FromSeconds(1))
            {
                throw new InvalidOperationException(
                    $"{SectionName}:{name}:PermitLimit must be at least 1 and {SectionName}:{name}:Window at least 1 second.");
            }
        }

        return limits;
    }
}

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> (a fixed window), per client address.</summary>
public sealed class RateLimit
{
    /// <summary>Requests allowed in one window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window { get; set; }
}
