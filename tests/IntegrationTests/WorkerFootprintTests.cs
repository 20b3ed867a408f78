using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>The worker writes nothing outside the database and its logs: it runs, and succeeds, where it can write no file.</summary>
public sealed class WorkerFootprintTests(PostgresServer server)
{
    [Fact]
    public async Task Worker_with_every_file_system_read_only_migrates_and_exits_0_and_again_with_nothing_to_do()
    {
        var db = await server.NewDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("worker-read-only-").FullName;
        try
        {
            // The confinement is real: root cannot write there, not even in its own directory or /tmp.
            var touch = ReadOnlyFileSystem.Wrap(["touch", Path.Combine(directory, "probe"), "/tmp/worker-probe"]);
            var touched = await ChildProcess.RunAsync(touch[0], touch.Skip(1), startInfo => startInfo.WorkingDirectory = directory);
            Assert.NotEqual(0, touched.ExitCode);
            Assert.Equal(2, touched.Stderr.Split('\n').Count(line => line.EndsWith("Read-only file system", StringComparison.Ordinal)));

            foreach (var run in new[] { "migrates a new database", "has nothing to do" })
            {
                await using var worker = WorkerProcess.StartInReadOnlyFileSystem(db, [], directory);
                var result = await worker.WaitAsync();

                Assert.True(result.ExitCode == ExitCodes.Success, $"The run that {run} exited {result.ExitCode}:\n{result.Output}");
            }

            Assert.Equal(Migrations.Names, await SchemaSnapshot.HistoryAsync(db));
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
