using System.Diagnostics;
using System.Security.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Opens a context's connection, waiting for the server up to a deadline, and creates the database when it is missing.
/// </summary>
/// <remarks>
/// EF Core's retrying execution strategy is switched off for the worker (a retry after a dropped connection would
/// continue without the migration lock), so waiting for a server that is still starting is done here, once, up front.
/// </remarks>
internal sealed class DatabaseConnector(MigrationOptions options, ILogger<DatabaseConnector> logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Opens the connection of <paramref name="context"/> (read from <c>ConnectionStrings:<paramref name="connectionName"/></c>)
    /// within <see cref="MigrationOptions.ConnectTimeout"/>, its statements under <see cref="MigrationOptions.CommandTimeout"/>.
    /// </summary>
    /// <returns>False when the database does not exist and <paramref name="createIfMissing"/> is false.</returns>
    /// <exception cref="DatabaseUnreachableException">No answer within the deadline, or a refusal that waiting cannot fix.</exception>
    public async Task<bool> OpenAsync(DbContext context, string connectionName, bool createIfMissing, CancellationToken cancellationToken)
    {
        context.Database.SetCommandTimeout(options.CommandTimeout);
        var deadline = options.ConnectTimeout;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var remaining = deadline - elapsed.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw Unreachable(context, connectionName, $"no answer within {deadline.TotalSeconds:0.#} s", innerException: null);
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(remaining);
            try
            {
                await context.Database.OpenConnectionAsync(attempt.Token);
                break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // EF Core wraps what Npgsql throws ("likely due to a transient failure"); decide on Npgsql's exception.
                var npgsql = FindNpgsqlException(e);
                if (npgsql is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName })
                {
                    if (!createIfMissing)
                    {
                        return false;
                    }

                    await CreateDatabaseAsync(context, attempt.Token);
                    continue;
                }

                if (RefusalReason(npgsql) is { } refused)
                {
                    throw Unreachable(context, connectionName, refused, e);
                }

                if (e is not OperationCanceledException && npgsql is not { IsTransient: true })
                {
                    throw;
                }

                if (elapsed.Elapsed >= deadline)
                {
                    throw Unreachable(context, connectionName, $"no answer within {deadline.TotalSeconds:0.#} s", e);
                }

                logger.LogInformation("Database for {Context} not reachable yet ({Reason}); retrying",
                    context.GetType().Name, npgsql?.Message ?? "timed out");
                await Task.Delay(RetryDelay < remaining ? RetryDelay : remaining, cancellationToken);
            }
        }

        // A login that may only act as the owner role does everything as it, from the first statement on.
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        if (await MigratorLogin.ActAsOwnerAsync(connection, cancellationToken))
        {
            logger.LogInformation(
                "Login {Login} may act as role {Owner} but may not create roles: the roles and grants of database {Database} are " +
                "verified, not set up (the bootstrap's: --bootstrap-sql); the admin-only steps are skipped",
                connection.UserName, DatabaseRoleNames.OwnerOf(connection.Database), connection.Database);
        }

        return true;
    }

    /// <summary>
    /// Why the server or the connection refused us for good, when it did: waiting longer would not help, so the worker
    /// gives up at once with exit code 3 instead of failing later as a migration (exit 1).
    /// </summary>
    private static string? RefusalReason(NpgsqlException? npgsql) => npgsql switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } =>
            "the server refused the credentials (check the user name and password)",
        // Also what a managed server's firewall answers for a client address it does not admit ("no pg_hba.conf entry").
        PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } =>
            "the server refused the login (check the user name, and that the server's firewall or pg_hba.conf admits this client)",
        // Npgsql wraps the TLS handshake's failure; a certificate that does not verify is not transient.
        { InnerException: AuthenticationException } =>
            "the server's TLS certificate was not accepted (with SSL Mode=VerifyFull it must chain to a trusted root certificate and name this host)",
        // Any other failure of the connection itself that retrying cannot fix, e.g. a server without TLS when TLS is required.
        { IsTransient: false } and not PostgresException => $"the connection failed ({npgsql.Message.TrimEnd('.')})",
        _ => null,
    };

    private static NpgsqlException? FindNpgsqlException(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    /// <summary>Creates the database; another worker creating it at the same moment is not an error.</summary>
    private async Task CreateDatabaseAsync(DbContext context, CancellationToken cancellationToken)
    {
        try
        {
            logger.LogInformation("Database for {Context} does not exist; creating it", context.GetType().Name);
            await context.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Lost the race to a concurrent worker: the database is there, which is all we need.
        }
    }

    // The server and database, never the password: this message is shown to operators.
    private static DatabaseUnreachableException Unreachable(DbContext context, string connectionName, string reason, Exception? innerException) =>
        new($"Could not connect to {WorkerConnectionStrings.Describe(context)}: {reason}. " +
            $"Check that the server runs and the connection string '{connectionName}' points at it.", innerException);
}
