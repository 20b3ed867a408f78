using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastTests;

/// <summary>The migration commands on the worker resource as the model declares them; nothing is started or executed for real.</summary>
public sealed class MigrationCommandModelTests
{
    private static readonly string[] Names = ["status", "pending-sql", "plan", "drift", "migrate", "migrate-to", "reset-database"];

    private static async Task<IDistributedApplicationTestingBuilder> CreateModelAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Postgres:Mode=Container", .. args], TestContext.Current.CancellationToken);

    private static List<ResourceCommandAnnotation> CommandsOf(IDistributedApplicationTestingBuilder builder) =>
        [.. builder.Resources.Single(r => r.Name == "migrations").Annotations.OfType<ResourceCommandAnnotation>().Where(c => Names.Contains(c.Name))];

    private static ResourceCommandState StateWhen(ResourceCommandAnnotation command, string state) => command.UpdateState(new UpdateCommandStateContext
    {
        ResourceSnapshot = new CustomResourceSnapshot { ResourceType = "Project", Properties = [], State = state },
        Services = new ServiceCollection().BuildServiceProvider(),
    });

    [Fact]
    public async Task Run_mode_offers_the_seven_commands_with_their_display_names()
    {
        await using var builder = await CreateModelAsync();

        var commands = CommandsOf(builder);

        Assert.Equal(Names, commands.Select(c => c.Name));
        Assert.Equal(["Status", "Pending SQL", "Plan", "Drift", "Migrate to latest", "Migrate to…", "Reset database"], commands.Select(c => c.DisplayName));
        Assert.Equal("Drop the database 'appdb' and lose all of its data?", commands.Single(c => c.Name == "reset-database").ConfirmationMessage);
    }

    [Fact]
    public async Task Migrate_to_takes_a_target_chosen_from_the_workers_list_an_unticked_data_loss_consent_and_an_optional_context()
    {
        await using var builder = await CreateModelAsync();

        var arguments = CommandsOf(builder).Single(c => c.Name == "migrate-to").Arguments!;
        Assert.Equal(3, arguments.Count);
        var target = arguments[0];
        var consent = arguments[1];
        Assert.Equal(("allowDataLoss", "Allow data loss", InputType.Boolean, false), (consent.Name, consent.Label, consent.InputType, consent.Required));
        Assert.Null(consent.Value); // off unless ticked
        Assert.Equal(("context", InputType.Choice, false), (arguments[2].Name, arguments[2].InputType, arguments[2].Required));

        Assert.Equal("target", target.Name);
        Assert.Equal(InputType.Choice, target.InputType);
        Assert.True(target.Required);
        Assert.True(target.AllowCustomChoice); // names and ids in any case, as the worker's --target takes them
        // This build's migrations come from the worker (its --list --json) when the dialog opens: see MigrationCommandTests.
        Assert.Equal([new("0", "0 (revert all)")], target.Options!);
        Assert.NotNull(target.DynamicLoading);
    }

    [Theory]
    [InlineData("Finished", ResourceCommandState.Enabled)]
    [InlineData("Exited", ResourceCommandState.Enabled)]
    [InlineData("FailedToStart", ResourceCommandState.Enabled)]
    [InlineData("Waiting", ResourceCommandState.Disabled)]
    [InlineData("Running", ResourceCommandState.Disabled)]
    [InlineData("Migrating to latest…", ResourceCommandState.Disabled)] // another command's run
    public async Task Commands_are_enabled_only_while_the_worker_is_not_running(string state, ResourceCommandState expected)
    {
        await using var builder = await CreateModelAsync();

        Assert.All(CommandsOf(builder), command => Assert.Equal(expected, StateWhen(command, state)));
    }

    [Fact]
    public async Task Reset_database_is_disabled_and_refused_for_an_existing_server()
    {
        await using var builder = await CreateModelAsync("--Postgres:Mode=External", "--ConnectionStrings:appdb=Host=db.example;Database=appdb");
        var reset = CommandsOf(builder).Single(c => c.Name == "reset-database");

        var result = await reset.ExecuteCommand(new ExecuteCommandContext
        {
            ResourceName = "migrations",
            Services = new ServiceCollection().BuildServiceProvider(), // refused before any service is needed
            CancellationToken = TestContext.Current.CancellationToken,
            Logger = NullLogger.Instance,
            Arguments = new([]),
        });

        Assert.Equal(ResourceCommandState.Disabled, StateWhen(reset, KnownResourceStates.Finished));
        Assert.Null(reset.ConfirmationMessage);
        Assert.False(result.Success);
        Assert.Equal("Reset database is refused for an existing server (Postgres:Mode=External): this AppHost does not own it.", result.Message);
    }

    [Fact]
    public async Task Publishing_adds_no_command_and_the_manifest_names_none()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"publish-model-{Guid.NewGuid():N}");
        await using var builder = await CreateModelAsync(
            "--Postgres:Mode=Azure", "--publisher", "manifest", "--output-path", Path.Combine(directory, "manifest.json"));
        using var manifest = await PublishedManifest.PublishAsync();

        Assert.True(builder.ExecutionContext.IsPublishMode);
        Assert.Empty(builder.Resources.Single(r => r.Name == "migrations").Annotations.OfType<ResourceCommandAnnotation>());
        Assert.All(Names, name => Assert.DoesNotContain($"\"{name}\"", manifest.Text));
        Assert.DoesNotContain("Reset database", manifest.Text);
    }
}
