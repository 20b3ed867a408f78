using LocalPostgres;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The AppHost's PostgreSQL server alone, in the mode the AppHost picks, serving TLS (<c>ssl=on</c>) with a certificate
/// for <see cref="CertifiedHost"/> — not for the host the tests connect to — signed by a throwaway CA.
/// </summary>
public sealed class TlsPostgresServer : LazyFixture<TlsPostgresServer.Started>
{
    /// <summary>The one host the server's certificate names.</summary>
    public const string CertifiedHost = "other.example";

    private readonly string _directory = Directory.CreateTempSubdirectory("tls-postgres-").FullName;

    protected override async Task<Started> StartAsync()
    {
        var certificates = TestCertificates.Create(_directory, CertifiedHost);
        var builder = await TestGraph.CreateBuilderAsync();
        foreach (var service in builder.Resources.Where(r => r.Name is "migrations" or "webapp").ToList())
        {
            builder.Resources.Remove(service);
        }

        switch (builder.Resources.Single(r => r.Name == "postgres"))
        {
            case LocalPostgresServerResource local:
                await ServeTlsAsync(builder.CreateResourceBuilder(local), certificates);
                break;
            case PostgresServerResource container:
                ServeTls(builder.CreateResourceBuilder(container), certificates);
                break;
        }

        var app = await TestGraph.StartAsync(builder);
        await app.WaitForHealthyAsync("appdb");
        return new Started(app, (await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken))!, certificates.Authority);
    }

    /// <summary>The machine's server binaries: the files where they are, readable by the account the server runs as.</summary>
    private static async Task ServeTlsAsync(IResourceBuilder<LocalPostgresServerResource> server, TestCertificates certificates)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Local mode runs PostgreSQL's Unix binaries.");
            return;
        }

        File.SetUnixFileMode(Path.GetDirectoryName(certificates.PrivateKey)!, (UnixFileMode)0b111_101_101);
        if (Environment.IsPrivilegedProcess)
        {
            // The server runs as the postgres account then (see LocalPostgres), and PostgreSQL wants to own its key.
            var chown = await ChildProcess.RunAsync("chown", ["postgres:postgres", certificates.PrivateKey]);
            Assert.True(chown.ExitCode == 0, chown.Output);
        }

        server.WithArgs("-c", "ssl=on", "-c", $"ssl_cert_file={certificates.Certificate}", "-c", $"ssl_key_file={certificates.PrivateKey}");
    }

    /// <summary>
    /// The container: the files copied in, and the key handed to the image's postgres account (whose id differs between
    /// images) by a shell that then runs the image's own entrypoint.
    /// </summary>
    private static void ServeTls(IResourceBuilder<PostgresServerResource> server, TestCertificates certificates) =>
        server.WithContainerFiles("/tls", [
                new ContainerFile { Name = "server.crt", Contents = File.ReadAllText(certificates.Certificate), Mode = (UnixFileMode)0b110_100_100 },
                new ContainerFile { Name = "server.key", Contents = File.ReadAllText(certificates.PrivateKey), Mode = (UnixFileMode)0b110_000_000 },
            ])
            .WithEntrypoint("sh")
            .WithArgs("-c", "install -o postgres -g postgres -m 0600 /tls/server.key /tmp/server.key && " +
                "exec docker-entrypoint.sh postgres -c ssl=on -c ssl_cert_file=/tls/server.crt -c ssl_key_file=/tmp/server.key");

    protected override async ValueTask StopAsync(Started started)
    {
        await started.App.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A connection string to a database that does not exist yet, with the TLS settings given.</summary>
    public async Task<NpgsqlConnectionStringBuilder> NewDatabaseAsync(SslMode mode, bool trustTheTestAuthority)
    {
        var started = await GetAsync();
        return new NpgsqlConnectionStringBuilder(started.AppdbConnectionString)
        {
            Database = $"tls_{Guid.NewGuid():N}",
            SslMode = mode,
            RootCertificate = trustTheTestAuthority ? started.Authority : null,
        };
    }

    /// <summary>The running server's graph, its <c>appdb</c> connection string and the CA that signed its certificate.</summary>
    public sealed record Started(DistributedApplication App, string AppdbConnectionString, string Authority);
}
