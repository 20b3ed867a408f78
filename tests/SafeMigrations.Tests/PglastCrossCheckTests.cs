using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using SafeMigrations.Online;
using SafeMigrations.Schema.Sql;

namespace SafeMigrations.Tests;

/// <summary>
/// The reader against PostgreSQL's own parser: libpg_query (through Python's pglast) splits every entry of a corpus of
/// tricky SQL — and the SQL the online helpers write — into the same statements, and, classifying from its parse tree
/// by the same rules, finds the same losses and the same unclassified statements.
/// </summary>
/// <remarks>
/// Needs python3 with pglast (Debian's python3-pglast, which .ci/run installs). Without it the test is skipped saying
/// so, and under CI a skipped test fails.
/// </remarks>
public sealed class PglastCrossCheckTests
{
    private static readonly string[] Interpreters = ["python3", "/usr/bin/python3"];

    [Fact]
    public async Task The_reader_splits_and_classifies_as_PostgreSQL_parser_does()
    {
        var python = await InterpreterWithPglastAsync();
        var entries = Corpus().Concat(HelperSql()).ToList();
        var input = Path.Combine(Path.GetTempPath(), $"pglast-cross-check-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new
        {
            harmlessFunctions = FunctionCalls.KnownHarmless,
            entries,
        }), TestContext.Current.CancellationToken);
        ChildProcessResult result;
        try
        {
            result = await ChildProcess.RunAsync(python, [Path.Combine(AppContext.BaseDirectory, "Pglast", "classify.py"), input]);
        }
        finally
        {
            File.Delete(input);
        }

        Assert.True(result.ExitCode == 0, result.Output);
        var parsed = JsonSerializer.Deserialize<List<List<ParsedStatement>>>(result.Stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(entries.Count, parsed.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var theirs = parsed[i];
            Assert.True(theirs.All(s => s.Error is null), $"PostgreSQL's parser refuses corpus entry {i}: {theirs[0].Error}\n{entries[i]}");
            var ours = SqlStatements.Split(entries[i]);
            Assert.True(ours.Count == theirs.Count,
                $"Entry {i}: {ours.Count} statements here, {theirs.Count} for PostgreSQL:\n" + string.Join("\n|\n", theirs.Select(s => s.Text)));
            for (var k = 0; k < ours.Count; k++)
            {
                var statement = ours[k];
                // PostgreSQL's statement also holds the white space and comments around it.
                var at = theirs[k].Text.IndexOf(statement.Text, StringComparison.Ordinal);
                Assert.True(at >= 0 && PostgresLexer.Tokens(theirs[k].Text.Remove(at, statement.Text.Length)).Count == 0,
                    $"Entry {i}, statement {k}: read as\n{statement.Text}\nPostgreSQL reads\n{theirs[k].Text}");
                var readings = SqlReader.Read(statement.Text);
                var losses = readings.SelectMany(r => r.Losses).Select(l => $"{l.Loss.Kind} {l.Loss.Target}").ToList();
                Assert.True(theirs[k].Losses.SequenceEqual(losses),
                    $"Entry {i}, statement {k} ({statement.FirstWords}): losses [{string.Join("; ", losses)}], from PostgreSQL's parse [{string.Join("; ", theirs[k].Losses)}]");
                var unclassified = readings.FirstOrDefault(r => r.Unclassified is not null);
                Assert.True(theirs[k].Unclassified == unclassified is not null,
                    $"Entry {i}, statement {k} ({statement.FirstWords}): {(unclassified is null ? "classified here" : $"unclassified here ({unclassified.Statement}: {unclassified.Unclassified})")}, " +
                    $"{(theirs[k].Unclassified ? "unclassified" : "classified")} from PostgreSQL's parse");
            }
        }
    }

    private static async Task<string> InterpreterWithPglastAsync()
    {
        foreach (var interpreter in Interpreters)
        {
            try
            {
                if ((await ChildProcess.RunAsync(interpreter, ["-c", "import pglast"])).ExitCode == 0)
                {
                    return interpreter;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }

        Assert.Skip($"No Python with pglast ({string.Join(", ", Interpreters)}): install Debian's python3-pglast.");
        return "";
    }

    /// <summary>The entries of Pglast/corpus.sql, each between lines "-- entry".</summary>
    private static IEnumerable<string> Corpus() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pglast", "corpus.sql"))
            .Split("-- entry\n").Skip(1).Select(e => e.Trim()).Where(e => e.Length > 0);

    /// <summary>The SQL each online helper writes, one entry per helper call.</summary>
    private static IEnumerable<string> HelperSql()
    {
        var steps = new Action<MigrationBuilder>[]
        {
            b => b.BackfillInBatches("Todos", "\"UpdatedAt\" = \"CreatedAt\"", "\"UpdatedAt\" IS NULL"),
            b => b.SetNotNullOnline("Todos", "UpdatedAt"),
            b => b.CreateIndexConcurrently("IX_Todos_UpdatedAt", "Todos", ["UpdatedAt"], unique: true),
            b => b.DropIndexConcurrently("IX_Old"),
            b => b.ExpandColumnRename("Todos", "Title", "Name", "character varying(200)"),
            b => b.ContractColumnRename("Todos", "Title", "Name"),
            b => b.RevertContractColumnRename("Todos", "Title", "Name", "character varying(200)"),
        };
        foreach (var step in steps)
        {
            var builder = new MigrationBuilder(TestMigration.Provider);
            step(builder);
            yield return string.Join("\n", builder.Operations.OfType<SqlOperation>().Select(o => o.Sql.TrimEnd().TrimEnd(';') + ";"));
        }
    }

    private sealed record ParsedStatement(string Text, List<string> Losses, bool Unclassified, string? Error);
}
