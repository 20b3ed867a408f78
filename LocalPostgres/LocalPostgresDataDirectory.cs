using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.LocalPostgres;

/// <summary>Where a local server keeps its data, and how that directory is initialised and removed.</summary>
public static class LocalPostgresDataDirectory
{
    private const string Product = "aspire-migrations";

    /// <summary>
    /// Kept across runs, per user and per major version (a data directory only works with its major). Under the user's
    /// local application data; for root, under <c>/var/lib</c>, because the <c>postgres</c> account cannot enter root's home.
    /// </summary>
    public static string Persistent(int majorVersion)
    {
        var root = LocalPostgresAccount.ForCurrentProcess().DropsRoot
            ? Path.Combine("/var/lib", Product)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), Product);
        return Path.Combine(root, $"postgres-{majorVersion}", "data");
    }

    /// <summary>A fresh directory for one run (tests), removed when the AppHost stops.</summary>
    public static string Throwaway() => Path.Combine(Path.GetTempPath(), $"{Product}-{Guid.NewGuid():N}", "data");

    /// <summary>Runs <c>initdb</c> unless the directory already holds a cluster, with password authentication everywhere.</summary>
    public static async Task InitialiseAsync(LocalPostgresServerResource server, LocalPostgresAccount account, ILogger logger, CancellationToken cancellationToken)
    {
        var dataDirectory = server.DataDirectory;
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Using the PostgreSQL {Major} data directory {DataDirectory}", server.Installation.MajorVersion, dataDirectory);
            return;
        }

        var parent = Path.GetDirectoryName(dataDirectory)!;
        Directory.CreateDirectory(parent);
        await account.GiveAsync(parent, cancellationToken);

        // initdb reads the superuser's password from a file; it lives only for this call, readable by the server account alone.
        var passwordFile = Path.Combine(parent, $".initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, await server.PasswordParameter.GetValueAsync(cancellationToken), cancellationToken);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await account.GiveAsync(passwordFile, cancellationToken);
            logger.LogInformation("Initialising a PostgreSQL {Major} data directory in {DataDirectory}", server.Installation.MajorVersion, dataDirectory);
            await LocalProcess.RunAsync(account.Command(server.Installation.InitDb), account.Arguments(server.Installation.InitDb,
                "--pgdata", dataDirectory,
                "--username", LocalPostgresServerResource.UserName,
                "--pwfile", passwordFile,
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions"), cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>Removes a throwaway directory (with its parent, which <see cref="Throwaway"/> made for it). Best effort.</summary>
    public static void Remove(string dataDirectory)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
