using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace WebApp;

/// <summary>
/// ASP.NET Core's rate limiter with <see cref="RequestRateLimits"/>: a fixed window per client address (the forwarded
/// one behind the proxy: <see cref="TrustedProxy"/>) and per kind of request. A refused request gets 429, problem
/// details and <c>Retry-After</c> (seconds until the window opens again).
/// </summary>
public static class RequestRateLimiting
{
    /// <summary>Registers the limiter; <c>UseRateLimiter</c> applies it, <c>DisableRateLimiting</c> exempts an endpoint.</summary>
    public static WebApplicationBuilder AddRequestRateLimiting(this WebApplicationBuilder builder)
    {
        var limits = RequestRateLimits.From(builder.Configuration);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientPartition>(context =>
            {
                var partition = ClientPartition.Of(context);
                var limit = partition.IsWrite ? limits.Writes : limits.Reads;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = (rejection, _) => WriteRejectionAsync(rejection, limits);
        });
        return builder;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejection, RequestRateLimits limits)
    {
        var context = rejection.HttpContext;
        var retryAfter = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : (ClientPartition.Of(context).IsWrite ? limits.Writes : limits.Reads).Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var problemDetails = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var detail = $"Too many requests from your address. Try again in {seconds} seconds.";
        if (!await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Detail = detail },
            }))
        {
            await context.Response.WriteAsync(detail, context.RequestAborted);
        }
    }

    /// <summary>Who is counted: a client address, separately for reads and for writes.</summary>
    private readonly record struct ClientPartition(bool IsWrite, IPAddress? Client)
    {
        public static ClientPartition Of(HttpContext context)
        {
            var method = context.Request.Method;
            var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
            return new ClientPartition(!isRead, Network(context.Connection.RemoteIpAddress));
        }

        // One IPv6 client usually holds a whole /64 and could rotate through it: count the /64, not the address.
        private static IPAddress? Network(IPAddress? address)
        {
            if (address is not { AddressFamily: AddressFamily.InterNetworkV6 } || address.IsIPv4MappedToIPv6)
            {
                return address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4() : address;
            }

            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes);
        }
    }
}
