using Aspire.Hosting;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Hosting;

/// <summary>Whether the container runtime Aspire uses answers, asked through Aspire's own runtime resolution.</summary>
internal static class ContainerEngine
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Lock Gate = new();
    private static (bool Asked, string? Problem) s_answer;

    /// <summary>
    /// Null when the runtime answers, else why not. Asked once per process, because tests build many AppHosts; the
    /// runtime is the one Aspire resolves for the first of them (<c>ASPIRE_CONTAINER_RUNTIME</c>, else detected).
    /// </summary>
    public static string? Problem(IDistributedApplicationBuilder builder)
    {
        lock (Gate)
        {
            if (!s_answer.Asked)
            {
                s_answer = (true, AskAsync(builder.Services).GetAwaiter().GetResult()); // the model is built synchronously
            }

            return s_answer.Problem;
        }
    }

    private static async Task<string?> AskAsync(IServiceCollection services)
    {
        // The model is built before the application's services exist; a short-lived provider over the same registrations
        // lends Aspire's resolver, which reads Aspire's runtime settings itself (no copy of its configuration keys here).
        await using var provider = services.BuildServiceProvider();
#pragma warning disable ASPIRECONTAINERRUNTIME001 // public, marked experimental: the one public way to Aspire's runtime choice
        var runtime = await provider.GetRequiredService<IContainerRuntimeResolver>().ResolveAsync();
        using var deadline = new CancellationTokenSource(Patience);
        try
        {
            return await runtime.CheckIfRunningAsync(deadline.Token) ? null : $"{runtime.Name} does not answer";
        }
        catch (OperationCanceledException)
        {
            return $"{runtime.Name} did not answer within {Patience.TotalSeconds:0} s";
        }
#pragma warning restore ASPIRECONTAINERRUNTIME001
    }
}
