
namespace SafeMigrations.Worker.Tests;

/// <summary>The worker's command line: what each argument sets, and what it refuses with exit code 2.</summary>
public sealed class MigrationCommandLineTests
{
    private static (Dictionary<string, string?> Configuration, int? ExitCode, string Output, string Error) Parse(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var (configuration, exitCode) = MigrationCommandLine.Parse(args, output, error);
        return (configuration, exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void No_arguments_means_migrate_to_latest()
    {
        var result = Parse();

        Assert.Null(result.ExitCode);
        Assert.Empty(result.Configuration);
    }

    [Theory]
    [InlineData("--target", "InitialSchema")]
    [InlineData("--target", "0")]
    [InlineData("--target=20261125172855_InitialSchema", null)]
    public void Target_sets_Migrations_Target(string first, string? second)
    {
        var result = second is null ? Parse(first) : Parse(first, second);

        Assert.Null(result.ExitCode);
        Assert.Equal(second ?? first["--target=".Length..], result.Configuration["Migrations:Target"]);
    }

    [Theory]
    [InlineData("--list", "Migrations:List")]
    [InlineData("--script", "Migrations:Script")]
    [InlineData("--allow-data-loss", "Migrations:AllowDataLoss")]
    [InlineData("--repair", "Migrations:Repair")]
    [InlineData("--plan", "Migrations:Plan")]
    [InlineData("--drift", "Migrations:Drift:Check")]
    public void Flags_set_their_key(string flag, string key)
    {
        var result = Parse(flag);

        Assert.Null(result.ExitCode);
        Assert.Equal("true", result.Configuration[key]);
    }

    [Theory]
    [InlineData("--list", "--script")]
    [InlineData("--target", "0", "--list")]
    [InlineData("--repair", "--target", "0")]
    [InlineData("--repair", "--list")]
    [InlineData("--plan", "--drift")]
    [InlineData("--drift", "--target", "0")]
    [InlineData("--plan", "--script")]
    public void Commands_exclude_each_other(params string[] args)
    {
        var result = Parse(args);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Equal("--target, --list, --script, --plan, --drift and --repair exclude each other; give one.\nRun with --help for usage.\n",
            result.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--target")]
    [InlineData("--target", "")]
    [InlineData("--target", "  ")]
    public void Target_needs_a_migration(params string[] args)
    {
        var result = Parse(args);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.NotEqual("", result.Error);
    }

    [Theory]
    [InlineData("--list")]
    [InlineData("--plan")]
    public void Json_goes_with_list_or_plan(string command)
    {
        var result = Parse(command, "--json");

        Assert.Null(result.ExitCode);
        Assert.Equal("true", result.Configuration["Migrations:Json"]);
    }

    [Fact]
    public void Json_alone_is_refused()
    {
        var result = Parse("--json");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("--json goes with --list or --plan.", result.Error);
    }

    [Fact]
    public void Unknown_argument_is_refused_with_a_hint()
    {
        var result = Parse("--targte", "x");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("--targte", result.Error);
        Assert.Contains("--help", result.Error);
    }

    [Fact]
    public void Help_prints_usage_and_exits_0()
    {
        var result = Parse("--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--target", result.Output);
        Assert.Contains("--list", result.Output);
        Assert.Contains("--script", result.Output);
        Assert.Contains("--allow-data-loss", result.Output);
        Assert.Contains("--repair", result.Output);
        Assert.Contains("--context", result.Output);
        Assert.Contains("--plan", result.Output);
        Assert.Contains("--drift", result.Output);
        Assert.Contains("Migrations:MaxLockedTime", result.Output);
        // Every exit code, by number and by the name ExitCodes gives it.
        Assert.Contains("0 Success; 1 MigrationFailed; 2 InvalidArguments, DataLossRefused or PrivilegeMissing (nothing changed); " +
            "3 DatabaseUnreachable; 4 HistoryCheckFailed; 5 DriftFound (--drift)", System.Text.RegularExpressions.Regex.Replace(result.Output, @"\s+", " "));
    }

    [Theory]
    [InlineData("--context", "OrdersContext")]
    [InlineData("--context=orderscontext", null)]
    public void Context_sets_Migrations_Context(string first, string? second)
    {
        var result = second is null ? Parse(first, "--list") : Parse(first, second, "--list");

        Assert.Null(result.ExitCode);
        Assert.Equal(second ?? first["--context=".Length..], result.Configuration["Migrations:Context"]);
        Assert.Equal("true", result.Configuration["Migrations:List"]);
    }

    [Theory]
    [InlineData("--context")]
    [InlineData("--context", " ")]
    public void Context_needs_a_name(params string[] args)
    {
        var result = Parse(args);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.NotEqual("", result.Error);
    }

    [Fact]
    public void Consent_to_data_loss_goes_with_a_target()
    {
        var result = Parse("--target", "0", "--allow-data-loss");

        Assert.Null(result.ExitCode);
        Assert.Equal("0", result.Configuration["Migrations:Target"]);
        Assert.Equal("true", result.Configuration["Migrations:AllowDataLoss"]);
    }
}
