using SafeMigrations.Worker;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The worker against a server whose certificate names another host. <c>SSL Mode=VerifyFull</c> (what the cloud
/// connection strings use) refuses it — with the CA trusted, and with the OS trust store — as an unreachable database
/// (exit 3, one line, no secret); <c>VerifyCA</c> with the CA trusted, and <c>Require</c>, which the docs used to
/// recommend, accept it.
/// </summary>
public sealed class WorkerTlsTests(TlsPostgresServer server, PostgresServer plainServer) : IClassFixture<TlsPostgresServer>
{
    [Theory]
    [InlineData(true)]  // the certificate chains to a root it trusts, but names another host
    [InlineData(false)] // the OS trust store, as in the cloud: an unknown root as well
    public async Task VerifyFull_refuses_a_certificate_for_another_host_with_exit_3_and_one_line_without_secrets(bool trustTheTestAuthority)
    {
        var connection = await server.NewDatabaseAsync(SslMode.VerifyFull, trustTheTestAuthority);

        var result = await RunWorkerAsync(connection);

        Assert.Equal(ExitCodes.DatabaseUnreachable, result.ExitCode);
        Assert.Equal([$"Could not connect to database '{connection.Database}' on {connection.Host}:{connection.Port}: the server's TLS certificate " +
            $"was not accepted (with SSL Mode=VerifyFull it must chain to a trusted root certificate and name this host). {WorkerProcess.UnreachableAdvice}"],
            WorkerProcess.LoggedErrors(result.Output));
        Assert.DoesNotContain(connection.Password!, result.Output);
        Assert.DoesNotContain("retrying", result.Output); // refused at once: waiting would not help
    }

    [Theory]
    // The same CA trusted: the chain verifies, only the name goes unchecked, so VerifyFull's refusal above is the name.
    [InlineData(SslMode.VerifyCA, true)]
    // Any certificate at all: what the docs used to recommend, and why the cloud uses VerifyFull.
    [InlineData(SslMode.Require, false)]
    public async Task Weaker_modes_accept_the_same_certificate(SslMode mode, bool trustTheTestAuthority)
    {
        var connection = await server.NewDatabaseAsync(mode, trustTheTestAuthority);

        var result = await RunWorkerAsync(connection);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(connection.ConnectionString));
    }

    [Fact]
    public async Task VerifyFull_against_a_server_without_TLS_is_exit_3_with_one_line()
    {
        var connection = new NpgsqlConnectionStringBuilder(await plainServer.NewDatabaseAsync()) { SslMode = SslMode.VerifyFull };

        var result = await RunWorkerAsync(connection);

        Assert.Equal(ExitCodes.DatabaseUnreachable, result.ExitCode);
        Assert.Equal([$"Could not connect to database '{connection.Database}' on {connection.Host}:{connection.Port}: the connection failed " +
            $"(SSL connection requested. No SSL enabled connection from this host is configured). {WorkerProcess.UnreachableAdvice}"],
            WorkerProcess.LoggedErrors(result.Output));
        Assert.DoesNotContain(connection.Password!, result.Output);
    }

    /// <summary>The worker with no trust settings of the machine's: a home without ~/.postgresql (and no PGSSLROOTCERT, see WorkerProcess).</summary>
    private static async Task<ChildProcessResult> RunWorkerAsync(NpgsqlConnectionStringBuilder connection)
    {
        var home = Directory.CreateTempSubdirectory("worker-home-").FullName;
        try
        {
            await using var worker = WorkerProcess.Start(connection.ConnectionString, [], new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["Migrations__ConnectTimeout"] = "00:00:30",
            });
            return await worker.WaitAsync();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
