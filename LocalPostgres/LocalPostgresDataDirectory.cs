using Microsoft.Extensions.Logging;

namespace LocalPostgres;

/// <summary>Where a local server keeps its data, and how that directory is initialised and removed.</summary>
public static class LocalPostgresDataDirectory
{
    /// <summary>
    /// A directory kept across runs, per user and per major version (a data directory only works with its major):
    /// <c>&lt;local application data&gt;/&lt;folderName&gt;/postgres-&lt;major&gt;/data</c>; for root,
    /// <c>/var/lib/&lt;folderName&gt;/…</c>, because the <c>postgres</c> account cannot enter root's home.
    /// </summary>
    /// <param name="folderName">The application's folder, e.g. its name.</param>
    /// <param name="majorVersion">The server's major version (<see cref="LocalPostgresInstallation.MajorVersion"/>).</param>
    public static string PerUser(string folderName, int majorVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(majorVersion);
        var root = LocalPostgresAccount.ForCurrentProcess().DropsRoot
            ? Path.Combine("/var/lib", folderName)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), folderName);
        return Path.Combine(root, $"postgres-{majorVersion}", "data");
    }

    /// <summary>A fresh directory for one run, removed when the AppHost stops (see <see cref="Remove"/>).</summary>
    internal static string Throwaway() => Path.Combine(Path.GetTempPath(), $"local-postgres-{Guid.NewGuid():N}", "data");

    /// <summary>Runs <c>initdb</c> unless the directory already holds a cluster, with password authentication everywhere.</summary>
    internal static async Task InitialiseAsync(LocalPostgresServerResource server, LocalPostgresAccount account, ILogger logger, CancellationToken cancellationToken)
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
        // Created 0600 and new (CreateNew): at no moment may another account read it, nor a file planted there be reused.
        var passwordFile = Path.Combine(parent, $".initdb-{Guid.NewGuid():N}");
        var password = await server.PasswordParameter.GetValueAsync(cancellationToken);
        try
        {
            await WritePasswordFileAsync(passwordFile, password!);
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

    /// <summary>
    /// Writes <paramref name="password"/> to a new file at <paramref name="path"/>, readable and writable by this account
    /// alone from its creation; an existing file there is an error, never overwritten or reused.
    /// </summary>
    internal static async Task WritePasswordFileAsync(string path, string password)
    {
        await using var file = new FileStream(path, PasswordFileOptions());
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(password);
    }

    private static FileStreamOptions PasswordFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>Removes a throwaway directory (with its parent, which <see cref="Throwaway"/> made for it). Best effort.</summary>
    internal static void Remove(string dataDirectory)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Already gone, or still held by a server that did not stop: nothing more to do at shutdown.
        }
    }
}
