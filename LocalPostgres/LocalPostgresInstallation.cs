using System.ComponentModel;
using System.Text.RegularExpressions;

namespace LocalPostgres;

/// <summary>PostgreSQL server binaries found on this machine: a folder holding both <c>postgres</c> and <c>initdb</c>.</summary>
/// <param name="BinDirectory">The folder of the binaries.</param>
/// <param name="MajorVersion">What <c>postgres --version</c> says, major part: data directories are tied to it.</param>
public sealed partial record LocalPostgresInstallation(string BinDirectory, int MajorVersion)
{
    private static readonly string Extension = OperatingSystem.IsWindows() ? ".exe" : "";

    /// <summary>The server binary.</summary>
    public string Postgres => Path.Combine(BinDirectory, "postgres" + Extension);

    /// <summary>The binary that initialises a data directory.</summary>
    public string InitDb => Path.Combine(BinDirectory, "initdb" + Extension);

    /// <summary>
    /// The installation in <paramref name="binDirectory"/> when given; otherwise the first
    /// found looking in order at: PATH, <c>pg_config --bindir</c>, then the versioned folders that distributions install
    /// into (newest major first). Null when there is none.
    /// </summary>
    public static LocalPostgresInstallation? Find(string? binDirectory = null) =>
        (string.IsNullOrWhiteSpace(binDirectory) ? Candidates() : [binDirectory])
            .Select(Inspect).FirstOrDefault(installation => installation is not null);

    /// <summary>The folders to try, most specific first; each is checked for both binaries before use.</summary>
    public static IEnumerable<string> Candidates()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }

        if (PgConfigBinDirectory() is { } fromPgConfig)
        {
            yield return fromPgConfig;
        }

        foreach (var directory in VersionedDirectories())
        {
            yield return directory;
        }
    }

    /// <summary>Reads the installation in <paramref name="directory"/>, or null when it holds no usable server.</summary>
    public static LocalPostgresInstallation? Inspect(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var candidate = new LocalPostgresInstallation(directory, 0);
        if (!File.Exists(candidate.Postgres) || !File.Exists(candidate.InitDb))
        {
            return null;
        }

        return Run(candidate.Postgres, "--version") is { } version && VersionPattern().Match(version) is { Success: true } match
            ? candidate with { MajorVersion = int.Parse(match.Groups[1].Value) }
            : null;
    }

    /// <summary>Where Debian/Ubuntu, RHEL/Fedora, Homebrew and the Windows installer put versioned servers, newest first.</summary>
    private static IEnumerable<string> VersionedDirectories()
    {
        var patterns = new (string Root, string Prefix, string Suffix)[]
        {
            ("/usr/lib/postgresql", "", "bin"),
            ("/usr", "pgsql-", "bin"),
            ("/opt/homebrew/opt", "postgresql@", "bin"),
            ("/usr/local/opt", "postgresql@", "bin"),
            (Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "PostgreSQL"), "", "bin"),
        };

        return patterns
            .Where(p => Directory.Exists(p.Root))
            .SelectMany(p => Directory.EnumerateDirectories(p.Root, p.Prefix + "*")
                .Select(dir => (Dir: dir, Major: int.TryParse(Path.GetFileName(dir)[p.Prefix.Length..].Split('.')[0], out var major) ? major : -1))
                .Where(d => d.Major > 0)
                .Select(d => (Path: Path.Combine(d.Dir, p.Suffix), d.Major)))
            .OrderByDescending(d => d.Major)
            .Select(d => d.Path);
    }

    private static string? PgConfigBinDirectory() => Run("pg_config", "--bindir")?.Trim() is { Length: > 0 } bin ? bin : null;

    /// <summary>What <paramref name="command"/> prints, or null when it is missing, fails or hangs.</summary>
    private static string? Run(string command, string argument)
    {
        // Called while the AppHost builds its model, which is synchronous.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return LocalProcess.RunAsync(command, [argument], deadline.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}
