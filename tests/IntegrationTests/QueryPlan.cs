using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationTests;

/// <summary>
/// What PostgreSQL did for one query, read from <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c>: its plan's nodes, the
/// rows each scan read and the buffers the whole execution touched.
/// </summary>
public sealed class QueryPlan
{
    private readonly JsonNode _json;

    private QueryPlan(JsonNode json)
    {
        _json = json;
        Nodes = [.. Flatten(json["Plan"]!)];
    }

    /// <summary>Every node of the plan, the top one first.</summary>
    public IReadOnlyList<PlanNode> Nodes { get; }

    /// <summary>Pages of table and index the execution touched (8 KiB each), from the cache or from disk.</summary>
    public long Buffers => _json["Plan"]!["Shared Hit Blocks"]!.GetValue<long>() + _json["Plan"]!["Shared Read Blocks"]!.GetValue<long>();

    /// <summary>Reads the one-element array EXPLAIN (FORMAT JSON) returns.</summary>
    public static QueryPlan Parse(string json) => new(JsonNode.Parse(json)![0]!);

    /// <summary>The plan as PostgreSQL gave it, for failure messages.</summary>
    public override string ToString() => _json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static IEnumerable<PlanNode> Flatten(JsonNode node)
    {
        yield return new PlanNode(
            node["Node Type"]!.GetValue<string>(),
            node["Relation Name"]?.GetValue<string>(),
            node["Index Name"]?.GetValue<string>(),
            RowsRead: ((node["Actual Rows"]?.GetValue<long>() ?? 0) + (node["Rows Removed by Filter"]?.GetValue<long>() ?? 0))
                      * (node["Actual Loops"]?.GetValue<long>() ?? 1));
        foreach (var child in node["Plans"]?.AsArray() ?? [])
        {
            foreach (var descendant in Flatten(child!))
            {
                yield return descendant;
            }
        }
    }
}

/// <summary>One node of a <see cref="QueryPlan"/>.</summary>
/// <param name="NodeType">What it does: <c>Index Scan</c>, <c>Sort</c>, <c>Merge Append</c>, …</param>
/// <param name="RelationName">The table a scan reads.</param>
/// <param name="IndexName">The index an index scan walks.</param>
/// <param name="RowsRead">Rows it produced plus rows its filter threw away, over all its loops.</param>
public sealed record PlanNode(string NodeType, string? RelationName, string? IndexName, long RowsRead);
