using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FastTests;

/// <summary>
/// CI runs the whole suite in Container mode, then again in Local mode only the test projects that start PostgreSQL
/// (tests/WithPostgres.slnf): the others start no server, so the mode cannot change what they prove. This keeps that
/// list complete, so that a new project that starts a server cannot miss its Local-mode run.
/// </summary>
public sealed partial class WithPostgresFilterTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Projects.AppHost.ProjectPath, ".."));

    [Fact]
    public void The_filter_lists_exactly_the_test_projects_that_start_a_graph_or_a_server()
    {
        var filter = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "tests", "WithPostgres.slnf")))!["solution"]!;
        Assert.Equal("../Solution.sln", (string?)filter["path"]);
        var listed = filter["projects"]!.AsArray().Select(p => (string)p!).Order().ToList();

        var startingOne = TestProjects().Where(StartsPostgres).Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')).Order().ToList();

        Assert.Contains("tests/IntegrationTests/IntegrationTests.csproj", startingOne); // the rule still sees what it is for
        Assert.Equal(startingOne, listed);
    }

    /// <summary>The test projects of Solution.sln.</summary>
    private static IEnumerable<string> TestProjects() =>
        SolutionProject().Matches(File.ReadAllText(Path.Combine(Root, "Solution.sln")))
            .Select(m => Path.Combine(Root, m.Groups[1].Value.Replace('\\', '/')))
            // TestWorker is a program the tests run, not a test project.
            .Where(p => p.Contains("/tests/", StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(p) != "TestWorker");

    /// <summary>Waits for a started resource, or uses the suite's started graph or server: its own sources or those it links in.</summary>
    private static bool StartsPostgres(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        var linked = XDocument.Load(project).Descendants("Compile").SelectMany(c => ((string?)c.Attribute("Include") ?? "").Split(';'))
            .Where(i => i.EndsWith(".cs", StringComparison.Ordinal) && !i.Contains('*', StringComparison.Ordinal))
            .Select(i => Path.GetFullPath(Path.Combine(directory, i.Replace('\\', '/'))));
        var sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != $"{nameof(WithPostgresFilterTests)}.cs") // names them without using them
            .Concat(linked);
        return sources.Any(f => StartedResource().IsMatch(File.ReadAllText(f)));
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();

    [GeneratedRegex(@"\b(ResourceNotifications|TestGraph|PostgresServer)\b")]
    private static partial Regex StartedResource();
}
