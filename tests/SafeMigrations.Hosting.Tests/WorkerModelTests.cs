using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Hosting.Tests;

/// <summary>The worker in the model: what it references and waits for, its commands, what it forwards and refuses.</summary>
public sealed class WorkerModelTests
{
    private static List<ResourceCommandAnnotation> Commands(IResourceBuilder<ProjectResource> worker) =>
        [.. worker.Resource.Annotations.OfType<ResourceCommandAnnotation>().Where(c => MigrationCommands.Names.Contains(c.Name))];

    [Fact]
    public void Two_databases_are_both_referenced_waited_for_and_named_by_reset()
    {
        var builder = TestAppHost.Create();

        var (worker, _) = TestAppHost.AddGraph(builder, "orders", "identity");

        // Aspire waits for a database's server too.
        Assert.Equal(["postgres", "orders", "postgres", "identity"], worker.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name));
        Assert.Equal(["orders", "orders-web", "identity", "identity-web"],
            worker.Resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(r => r.Type == "Reference").Select(r => r.Resource.Name));
        // Added again with each database: one of each, the last naming both.
        Assert.Equal(MigrationCommands.Names, Commands(worker).Select(c => c.Name));
        Assert.Equal("Drop the databases 'orders', 'identity' and lose all of their data?",
            Commands(worker).Single(c => c.Name == "reset-database").ConfirmationMessage);
    }

    [Fact]
    public void Migrate_to_offers_0_until_the_worker_lists_its_migrations_and_takes_an_optional_context()
    {
        var (worker, _) = TestAppHost.AddGraph(TestAppHost.Create());

        var arguments = Commands(worker).Single(c => c.Name == "migrate-to").Arguments;

        Assert.Equal(["target", "allowDataLoss", "context"], arguments.Select(a => a.Name));
        Assert.Equal([new("0", "0 (revert all)")], arguments[0].Options!);
        Assert.NotNull(arguments[0].DynamicLoading);
        Assert.True(arguments[0].Required);
        Assert.True(arguments[0].AllowCustomChoice);
        Assert.False(arguments[2].Required);
    }

    [Theory]
    [InlineData("InitialSchema", null, null, new[] { "--target", "InitialSchema" })]
    [InlineData(" 0 ", "true", null, new[] { "--target", "0", "--allow-data-loss" })]
    [InlineData("Add", "false", "IdentityContext", new[] { "--target", "Add", "--context", "IdentityContext" })]
    [InlineData("Add", "not a boolean", " ", new[] { "--target", "Add" })]
    public void Migrate_to_passes_what_was_asked_to_the_worker_which_resolves_it(string target, string? allowDataLoss, string? context, string[] commandLine)
    {
        InteractionInputCollection arguments = new([
            new InteractionInput { Name = "target", InputType = InputType.Text, Value = target },
            .. allowDataLoss is null ? [] : new[] { new InteractionInput { Name = "allowDataLoss", InputType = InputType.Boolean, Value = allowDataLoss } },
            .. context is null ? [] : new[] { new InteractionInput { Name = "context", InputType = InputType.Text, Value = context } },
        ]);

        Assert.Equal(commandLine, MigrateTo.Read(arguments).CommandLine());
    }

    [Fact]
    public void Publishing_adds_no_command()
    {
        var (worker, _) = TestAppHost.AddGraph(TestAppHost.Publishing(Path.GetTempPath(), "--Postgres:Mode=Azure"));

        Assert.Empty(worker.Resource.Annotations.OfType<ResourceCommandAnnotation>());
    }

    [Fact]
    public void Reset_is_disabled_when_a_database_is_not_the_AppHosts()
    {
        var (worker, _) = TestAppHost.AddGraph(TestAppHost.Create("--Postgres:Mode=External"));

        var reset = Commands(worker).Single(c => c.Name == "reset-database");

        Assert.Null(reset.ConfirmationMessage);
        Assert.Equal(ResourceCommandState.Disabled, reset.UpdateState(new UpdateCommandStateContext
        {
            ResourceSnapshot = new CustomResourceSnapshot { ResourceType = "Project", Properties = [], State = KnownResourceStates.Finished },
            Services = new ServiceCollection().BuildServiceProvider(),
        }));
    }

    [Fact]
    public void A_project_that_is_no_worker_is_refused_with_what_to_call()
    {
        var builder = TestAppHost.Create();
        var project = builder.AddProject<TestAppHost.Web>("web");
        var database = builder.AddPostgresServer("postgres").AddDatabase("appdb");

        var withDatabase = Assert.Throws<ArgumentException>(() => project.WithDatabase(database));
        var waitFor = Assert.Throws<ArgumentException>(() => project.WaitForMigrations(project));

        Assert.StartsWith("'web' is not a migration worker: add it with AddMigrationWorker.", withDatabase.Message);
        Assert.StartsWith("'web' is not a migration worker: add it with AddMigrationWorker.", waitFor.Message);
    }

    [Theory]
    [InlineData(null, null, "Migrations:Target=Initial is not deployed: every new web app revision migrates to the latest before it starts. Roll back with a run of the 'migrations' job: --target Initial.")]
    [InlineData("ops/run-job.sh", "docs/ops.md", "Migrations:Target=Initial is not deployed: every new web app revision migrates to the latest before it starts. Roll back with ops/run-job.sh --target Initial (see docs/ops.md).")]
    public void A_migration_target_is_refused_when_publishing_with_how_to_run_the_job(string? runner, string? documentation, string message)
    {
        var builder = TestAppHost.Publishing(Path.GetTempPath(), "--Migrations:Target=Initial");

        var error = Assert.Throws<SafeMigrationsSettingException>(() =>
            builder.AddMigrationWorker<TestAppHost.Worker>("migrations", new() { JobRunner = runner, JobRunnerDocumentation = documentation }));

        Assert.Equal(message, error.Message);
    }
}
