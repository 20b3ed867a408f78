using LocalPostgres;

namespace LocalPostgresTests;

/// <summary>The file initdb reads the superuser's password from: this account's alone from its creation, never reused.</summary>
public sealed class PasswordFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("password-file-").FullName;

    [Fact]
    public async Task Is_created_readable_by_this_account_alone_and_holds_the_password()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only.");
            return;
        }

        var path = Path.Combine(_directory, ".initdb-test");

        await LocalPostgresDataDirectory.WritePasswordFileAsync(path, "s3cret");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("s3cret", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_file_already_there_is_refused_not_overwritten()
    {
        var path = Path.Combine(_directory, ".initdb-test");
        await File.WriteAllTextAsync(path, "planted", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<IOException>(() => LocalPostgresDataDirectory.WritePasswordFileAsync(path, "s3cret"));

        Assert.Equal("planted", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
