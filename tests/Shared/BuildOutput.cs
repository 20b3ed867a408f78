using System.Reflection;

namespace TestSupport;

/// <summary>Paths MSBuild wrote into this test assembly (<c>tests/Directory.Build.targets</c>, the project file).</summary>
public static class BuildOutput
{
    /// <summary>The built main assembly of <paramref name="project"/>, a project this test project references.</summary>
    public static string Of(string project) => Value($"ProjectOutput:{project}");

    /// <summary>
    /// The main assembly of <paramref name="project"/> as published precompiled (ReadyToRun) by this test project's build,
    /// for a program its tests run many times (<c>PrecompiledProgram</c> in tests/Directory.Build.targets).
    /// </summary>
    public static string Precompiled(string project) => Value($"Precompiled:{project}");

    /// <summary>The value MSBuild recorded under <paramref name="key"/>.</summary>
    public static string Value(string key) =>
        typeof(BuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The build recorded no '{key}' in this test assembly.");
}
