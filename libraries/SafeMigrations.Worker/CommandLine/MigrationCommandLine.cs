using System.CommandLine;
using System.CommandLine.Help;

namespace SafeMigrations.Worker;

/// <summary>
/// The worker's command line, parsed with System.CommandLine. Each option maps to a key of <see cref="MigrationOptions"/>,
/// so the command line and configuration (<c>Migrations__Target</c> from the AppHost or a container) are interchangeable;
/// the command line wins.
/// </summary>
internal static class MigrationCommandLine
{
    private static readonly Option<string?> Target = new("--target")
    {
        Description = "Migrate up or down to exactly this migration (id or name; 0 reverts all). Skips the seed.",
        HelpName = "migration",
    };

    private static readonly Option<string?> Context = new("--context")
    {
        Description = "Only this context (its type name, any case); without it every registered context, in registration order.",
        HelpName = "name",
    };

    private static readonly Option<bool> List = new("--list")
    {
        Description = "Print applied and pending migrations per context; change nothing.",
    };

    private static readonly Option<bool> Json = new("--json")
    {
        Description = "With --list or --plan: print one JSON document on stdout, for tools. For JSON log lines, set Logging__Console__FormatterName=json.",
    };

    private static readonly Option<bool> Script = new("--script")
    {
        Description = "Print the idempotent SQL of the pending migrations; change nothing.",
    };

    private static readonly Option<bool> Plan = new("--plan")
    {
        Description = "For each pending migration: the lock each step takes on which live table, whether it rewrites or scans it, the " +
            "table's rows and size, the estimated time under the lock, and the data checks and budget (Migrations:MaxLockedTime) " +
            "verdicts. Change nothing.",
    };

    private static readonly Option<bool> Drift = new("--drift")
    {
        Description = "Compare each database's live schema (tables, columns, types, nullability, defaults, indexes, constraints, " +
            "sequences, owners and the web role's grants) with what its applied migrations build; print each difference; exit " +
            "5 when any. Change nothing. Objects kept on purpose: Migrations:Drift:Ignore.",
    };

    private static readonly Option<bool> BootstrapSql = new("--bootstrap-sql")
    {
        Description = "Print the psql script with which the admin sets up what a worker without the admin's login may not " +
            "(the database, its owner, web and migrator roles, passwords from the environment, grants); connect to nothing, change nothing.",
    };

    private static readonly Option<bool> AllowDataLoss = new("--allow-data-loss")
    {
        Description = "Consent to migrate down through migrations that drop data (without it such a --target is refused with exit code 2).",
    };

    private static readonly Option<bool> Repair = new("--repair")
    {
        Description = "Accept the current checksums of applied migrations that were changed after they were applied; migrate nothing.",
    };

    /// <summary>The exit codes by number and name (<see cref="ExitCodes"/>), for <c>--help</c>.</summary>
    internal static readonly string ExitCodeSummary =
        $"{ExitCodes.Success} {nameof(ExitCodes.Success)}; {ExitCodes.MigrationFailed} {nameof(ExitCodes.MigrationFailed)}; " +
        $"{ExitCodes.InvalidArguments} {nameof(ExitCodes.InvalidArguments)}, {nameof(ExitCodes.DataLossRefused)} or " +
        $"{nameof(ExitCodes.PrivilegeMissing)} (nothing changed); {ExitCodes.DatabaseUnreachable} {nameof(ExitCodes.DatabaseUnreachable)}; " +
        $"{ExitCodes.HistoryCheckFailed} {nameof(ExitCodes.HistoryCheckFailed)}; {ExitCodes.DriftFound} {nameof(ExitCodes.DriftFound)} (--drift)";

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The configuration the arguments set, or an exit code when the program should stop now (help: 0, errors: 2).</returns>
    public static (Dictionary<string, string?> Configuration, int? ExitCode) Parse(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Applies the EF Core migrations of every registered context, in registration order, each to the database its " +
            "connection string names (ConnectionStrings:<name>), seeds a new database, and exits: " + ExitCodeSummary + ". " +
            "With nothing to do it exits 0 at once, without waiting for another worker's lock. Settings come from " +
            "configuration (environment: Migrations__<Key>), among them Migrations:WebConnectionLimit, the web role's " +
            "connection limit (unset: left as it is); Migrations:AdoptWebRole=true, to take over as the web role an existing " +
            "login role the worker did not create (refused otherwise); and Migrations:MaxLockedTime, the longest a migration may " +
            "hold a lock that blocks the app's reads or writes, as --plan estimates it (default 00:00:10; a migration over it is " +
            "refused with exit 2).")
        {
            Target, Context, List, Json, Script, Plan, Drift, AllowDataLoss, Repair, BootstrapSql,
        };
        root.Validators.Add(result =>
        {
            var commands = new[] { result.GetResult(Target), result.GetResult(List), result.GetResult(Script), result.GetResult(Plan), result.GetResult(Drift), result.GetResult(Repair) }
                .Count(r => r is not null);
            if (commands > 1)
            {
                result.AddError("--target, --list, --script, --plan, --drift and --repair exclude each other; give one.");
            }

            if (result.GetResult(BootstrapSql) is not null
                && new Option[] { Target, Context, List, Json, Script, Plan, Drift, AllowDataLoss, Repair }.Any(o => result.GetResult(o) is not null))
            {
                result.AddError("--bootstrap-sql goes alone.");
            }

            if (result.GetResult(Json) is not null && result.GetResult(List) is null && result.GetResult(Plan) is null)
            {
                result.AddError("--json goes with --list or --plan.");
            }

            // Read the token, not the value: with no token at all, GetValue throws (the parser reports that case itself).
            if (result.GetResult(Target) is { Tokens: [var token] } && string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError("--target needs a migration id or name (0 reverts all).");
            }

            if (result.GetResult(Context) is { Tokens: [var context] } && string.IsNullOrWhiteSpace(context.Value))
            {
                result.AddError("--context needs a context's name.");
            }
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run with --help for usage.");
            return ([], ExitCodes.InvalidArguments);
        }

        if (parsed.Action is HelpAction)
        {
            parsed.InvocationConfiguration.Output = output;
            parsed.Invoke();
            return ([], ExitCodes.Success);
        }

        var configuration = new Dictionary<string, string?>();
        foreach (var (option, key) in new[] { (Target, nameof(MigrationOptions.Target)), (Context, nameof(MigrationOptions.Context)) })
        {
            if (parsed.GetResult(option) is not null)
            {
                configuration[$"{MigrationOptions.SectionName}:{key}"] = parsed.GetValue(option);
            }
        }

        foreach (var (flag, key) in new[]
        {
            (List, nameof(MigrationOptions.List)), (Json, nameof(MigrationOptions.Json)), (Script, nameof(MigrationOptions.Script)),
            (Plan, nameof(MigrationOptions.Plan)),
            (AllowDataLoss, nameof(MigrationOptions.AllowDataLoss)), (Repair, nameof(MigrationOptions.Repair)),
            (Drift, $"{nameof(MigrationOptions.Drift)}:{nameof(DriftOptions.Check)}"),
            (BootstrapSql, nameof(MigrationOptions.BootstrapSql)),
        })
        {
            if (parsed.GetValue(flag))
            {
                configuration[$"{MigrationOptions.SectionName}:{key}"] = "true";
            }
        }

        return (configuration, null);
    }
}
