using Microsoft.Extensions.Logging;

namespace SafeMigrations.Hosting.Tests;

/// <summary>What the library reads of the worker: its JSON log lines and its <c>--list --json</c> document.</summary>
public sealed class WorkerOutputTests
{
    // As the worker writes them with Logging__Console__FormatterName=json (Microsoft.Extensions.Logging.Console's formatter).
    private const string ErrorLine = """{"EventId":0,"LogLevel":"Error","Category":"SafeMigrations.Worker.MigrationWorkerBuilder","Message":"Could not connect to database \u0027appdb\u0027 on 127.0.0.1:1: no answer within 2 s.","State":{"Message":"Could not connect","{OriginalFormat}":"{Message}"}}""";

    [Fact]
    public void A_json_log_line_gives_its_level_and_message_and_reads_as_the_simple_console_format()
    {
        var entry = WorkerLogEntry.Parse(ErrorLine);

        Assert.NotNull(entry);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("Could not connect to database 'appdb' on 127.0.0.1:1: no answer within 2 s.", entry.Message);
        Assert.Equal("fail: SafeMigrations.Worker.MigrationWorkerBuilder[0] Could not connect to database 'appdb' on 127.0.0.1:1: no answer within 2 s.", entry.ToText());
    }

    [Theory]
    [InlineData("--json goes with --list.")]
    [InlineData("""{"contexts":[]}""")]
    [InlineData("{ not json")]
    [InlineData("""{"LogLevel":"Loud","Category":"c","Message":"m"}""")]
    public void A_line_that_is_no_log_entry_is_not_taken_for_one(string line) => Assert.Null(WorkerLogEntry.Parse(line));

    private const string List = """
        {"contexts":[
          {"context":"OrdersContext","connectionName":"orders","database":"orders","migrations":[
            {"id":"20260101000000_Initial","name":"Initial","state":"applied"},
            {"id":"20260201000000_AddTotal","name":"AddTotal","state":"pending"},
            {"id":"20260301000000_FromNewer","name":"FromNewer","state":"unknown"}]},
          {"context":"IdentityContext","connectionName":"identity","database":"identity","pendingModelChanges":true,"migrations":[]}]}
        """;

    [Fact]
    public void The_list_reads_for_people_as_the_workers_plain_list_model_changes_without_a_migration_included()
    {
        var list = WorkerMigrationList.Parse(List);

        Assert.NotNull(list);
        Assert.Equal(("OrdersContext", "orders", "orders"), (list.Contexts[0].Name, list.Contexts[0].ConnectionName, list.Contexts[0].Database));
        // A worker of an earlier version writes no pendingModelChanges: none is assumed.
        Assert.Equal([false, true], list.Contexts.Select(c => c.PendingModelChanges));
        Assert.Equal("""
            OrdersContext: 2 applied, 1 pending
              [applied] 20260101000000_Initial
              [applied] 20260301000000_FromNewer (not in this build)
              [pending] 20260201000000_AddTotal
            IdentityContext: 0 applied, 0 pending
              [model] changes without a migration: add one with 'dotnet ef migrations add <Name> --context IdentityContext'

            """.ReplaceLineEndings("\n"), list.ToText());
    }

    [Fact]
    public void The_targets_are_0_and_this_builds_migrations_labelled_with_their_context_when_there_are_several()
    {
        var list = WorkerMigrationList.Parse(List)!;

        Assert.Equal([new("0", "0 (revert all)"), new("20260101000000_Initial", "20260101000000_Initial (OrdersContext)"),
            new("20260201000000_AddTotal", "20260201000000_AddTotal (OrdersContext)")], list.TargetChoices());
    }

    [Theory]
    [InlineData("")]
    [InlineData("AppDbContext: 3 applied, 0 pending")]
    [InlineData("{}")]
    public void Output_that_is_no_list_reads_as_none(string output) => Assert.Null(WorkerMigrationList.Parse(output));
}
