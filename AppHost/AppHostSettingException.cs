namespace AppHost;

/// <summary>
/// A setting of the AppHost that cannot work (a mode that cannot be published, an unknown SKU…). The AppHost prints its
/// message, one line that says why and what to do instead, and exits 1: no stack trace, nothing started or published.
/// </summary>
internal sealed class AppHostSettingException(string message) : DistributedApplicationException(message);
