namespace TestSupport;

/// <summary>A folder with stand-ins for <c>postgres</c> and <c>initdb</c> that only answer <c>--version</c>.</summary>
public sealed class FakePostgresInstallation : IDisposable
{
    public FakePostgresInstallation(string version = "postgres (PostgreSQL) 16.4 (Debian 16.4-1)", bool withInitDb = true)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The stand-in binaries are shell scripts.");
            return;
        }

        Directory.CreateDirectory(BinDirectory);
        Write("postgres", $"#!/bin/sh\necho '{version}'\n");
        if (withInitDb)
        {
            Write("initdb", "#!/bin/sh\nexit 0\n");
        }
    }

    public string BinDirectory { get; } = Path.Combine(Path.GetTempPath(), $"fake-postgres-{Guid.NewGuid():N}", "bin");

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void Write(string name, string script)
    {
        var path = Path.Combine(BinDirectory, name);
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(BinDirectory)!, recursive: true);
}
