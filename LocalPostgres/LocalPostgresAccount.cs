namespace LocalPostgres;

/// <summary>
/// The account the server runs as. PostgreSQL refuses to run as root, so an AppHost running as root starts the
/// binaries as the <c>postgres</c> account through <c>setpriv</c> (which execs in place, so signals reach the server).
/// </summary>
internal sealed class LocalPostgresAccount
{
    private const string ServiceAccount = "postgres";

    private LocalPostgresAccount(bool dropsRoot) => DropsRoot = dropsRoot;

    /// <summary>True when the binaries run as the <c>postgres</c> account rather than as the current user.</summary>
    public bool DropsRoot { get; }

    public static LocalPostgresAccount ForCurrentProcess() => new(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess);

    /// <summary>The command that runs <paramref name="binary"/> under this account.</summary>
    public string Command(string binary) => DropsRoot ? "setpriv" : binary;

    /// <summary>The arguments for <see cref="Command"/>: <paramref name="binary"/>'s own, behind setpriv's when needed.</summary>
    public string[] Arguments(string binary, params string[] arguments) => DropsRoot
        ? ["--reuid=" + ServiceAccount, "--regid=" + ServiceAccount, "--init-groups", "--", binary, .. arguments]
        : arguments;

    /// <summary>Hands <paramref name="path"/> (a folder, recursively, or a file) to the account the server runs as.</summary>
    public async Task GiveAsync(string path, CancellationToken cancellationToken)
    {
        if (DropsRoot)
        {
            // No managed chown in .NET; the coreutils command is on every Linux that has setpriv.
            await LocalProcess.RunAsync("chown", ["-R", $"{ServiceAccount}:{ServiceAccount}", path], cancellationToken);
        }
    }
}
