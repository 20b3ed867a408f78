using LocalPostgres;

namespace LocalPostgresTests;

/// <summary>Recognising a PostgreSQL server installation in a folder (stand-in binaries: no server starts).</summary>
public sealed class LocalPostgresInstallationTests
{
    [Fact]
    public void A_folder_with_postgres_and_initdb_is_an_installation_of_the_major_it_reports()
    {
        using var fake = new FakePostgresInstallation("postgres (PostgreSQL) 17.2");

        var installation = LocalPostgresInstallation.Inspect(fake.BinDirectory);

        Assert.NotNull(installation);
        Assert.Equal(17, installation.MajorVersion);
        Assert.Equal(Path.Combine(fake.BinDirectory, "postgres"), installation.Postgres);
    }

    [Fact]
    public void A_folder_without_initdb_is_not_an_installation()
    {
        using var fake = new FakePostgresInstallation(withInitDb: false);

        Assert.Null(LocalPostgresInstallation.Inspect(fake.BinDirectory));
    }

    [Fact]
    public void A_postgres_that_does_not_say_its_version_is_not_an_installation()
    {
        using var fake = new FakePostgresInstallation("something else entirely");

        Assert.Null(LocalPostgresInstallation.Inspect(fake.BinDirectory));
    }

    [Fact]
    public void A_configured_bin_directory_is_the_only_place_looked_at()
    {
        using var fake = new FakePostgresInstallation();

        Assert.Equal(fake.BinDirectory, LocalPostgresInstallation.Find(fake.BinDirectory)?.BinDirectory);
        Assert.Null(LocalPostgresInstallation.Find(Path.Combine(fake.BinDirectory, "missing")));
    }

    [Fact]
    public void Search_starts_with_PATH()
    {
        var firstOnPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).First();

        Assert.Equal(firstOnPath, LocalPostgresInstallation.Candidates().First());
    }
}
