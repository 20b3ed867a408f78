using System.Diagnostics;

namespace FastTests;

/// <summary>
/// A stand-in <c>az</c>, first on the PATH of a deployment script under test. It answers only the calls it was given —
/// exact argument vectors, where <c>*</c> stands for any text within one argument (a temporary file's path) — fails any
/// other call with exit 2, and records every call, one line each. A call is written as its arguments separated by
/// spaces, an argument that is empty or holds a space in double quotes (<c>--query "[a, b]"</c> is two arguments,
/// <c>--query [a, b]</c> three). A stand-in <c>azd</c> beside it answers the same way, its calls recorded and given as
/// <c>azd …</c>.
/// </summary>
public sealed class StandInAzureCli : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"stand-in-az-{Guid.NewGuid():N}");
    private readonly List<(string Call, string Script)> _answers = [];

    public StandInAzureCli() => Directory.CreateDirectory(TemporaryDirectory);

    /// <summary>The scripts' own temporary folder (their <c>TMPDIR</c>), to prove they leave nothing behind.</summary>
    public string TemporaryDirectory => Path.Combine(_directory, "tmp");

    /// <summary>Answers <paramref name="call"/> by running <paramref name="script"/> (POSIX shell, the call's arguments in <c>$@</c>).</summary>
    public StandInAzureCli Answer(string call, string script)
    {
        _answers.Add((call, script));
        return this;
    }

    /// <summary>Answers <paramref name="call"/> with <paramref name="lines"/> on stdout (none: empty output).</summary>
    public StandInAzureCli Print(string call, params string[] lines) =>
        Answer(call, string.Concat(lines.Select(line => $"printf '%s\\n' {Quote(line)}; ")) + "true"); // printf: echo would read backslashes as escapes

    /// <summary>Fails <paramref name="call"/> as the Azure CLI does: the error on stderr, exit 1.</summary>
    public StandInAzureCli Fail(string call, string error) => Answer(call, $"echo {Quote(error)} >&2; exit 1");

    /// <summary>
    /// Answers the n-th <paramref name="call"/> with the n-th of <paramref name="outputs"/> (one line each; the last
    /// repeats); the output <c>fail</c> fails that call.
    /// </summary>
    public StandInAzureCli Sequence(string call, params string[] outputs)
    {
        var counter = Path.Combine(_directory, $"sequence-{_answers.Count}");
        return Answer(call, $"""
            n=$(cat {Quote(counter)} 2>/dev/null || echo 0); echo $((n + 1)) > {Quote(counter)}
            set -- {string.Join(' ', outputs.Select(Quote))}
            while [ "$n" -gt 0 ] && [ $# -gt 1 ]; do shift; n=$((n - 1)); done
            if [ "$1" = fail ]; then echo "ERROR: (TooManyRequests) throttled" >&2; exit 1; fi
            echo "$1"
            """);
    }

    /// <summary>Every call so far, oldest first.</summary>
    public string[] Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>Starts <paramref name="script"/> with <c>sh</c>, this <c>az</c> first on its PATH and <paramref name="environment"/> (null removes a variable).</summary>
    public ChildProcess Start(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("The scripts under test are the POSIX ones.");
        }

        WriteExecutable();
        return ChildProcess.Start("sh", [script, .. arguments], startInfo =>
        {
            startInfo.Environment["PATH"] = _directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            startInfo.Environment["TMPDIR"] = TemporaryDirectory;
            foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("AZURE_", StringComparison.Ordinal)).ToList())
            {
                startInfo.Environment.Remove(key);
            }

            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(key);
                }
                else
                {
                    startInfo.Environment[key] = value;
                }
            }
        });
    }

    /// <summary>Runs <paramref name="script"/> to its end (see <see cref="Start"/>).</summary>
    public async Task<ChildProcessResult> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        await using var process = Start(script, arguments, environment);
        return await process.WaitAsync();
    }

    /// <summary>Sends SIGTERM to <paramref name="process"/> once <paramref name="call"/> has been made, then waits for its end (see below).</summary>
    public Task<ChildProcessResult> TerminateAfterAsync(ChildProcess process, string call) =>
        TerminateAfterAsync(process, calls => calls.Contains(call));

    /// <summary>
    /// How long a script may take to end after SIGTERM: generous for a loaded machine, far below the minutes of the pause
    /// the tests give it, so a script that only notices the signal after its pause fails.
    /// </summary>
    public static readonly TimeSpan StopsWithin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends SIGTERM to <paramref name="process"/> once the calls so far satisfy <paramref name="made"/>, then waits for its
    /// end, which must come within <see cref="StopsWithin"/>.
    /// </summary>
    public async Task<ChildProcessResult> TerminateAfterAsync(ChildProcess process, Func<string[], bool> made)
    {
        await Poll.UntilAsync(_ => Task.FromResult(made(Calls)), TimeSpan.FromMilliseconds(50));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        return await process.WaitAsync(StopsWithin);
    }

    private string CallLog => Path.Combine(_directory, "calls.log");

    private void WriteExecutable()
    {
        // One function per answer: true when the call has exactly the answer's arguments, each matching its pattern.
        var matchers = string.Concat(_answers.Select((a, i) =>
        {
            var arguments = Arguments(a.Call);
            return $"answer_{i}() {{\n  [ $# -eq {arguments.Count} ] || return 1\n" +
                string.Concat(arguments.Select(argument => $"  case $1 in {Pattern(argument)}) shift ;; *) return 1 ;; esac\n")) + "}\n";
        }));
        var answers = string.Concat(_answers.Select((a, i) => $"if answer_{i} \"$@\"; then\n{a.Script}\nexit\nfi\n"));
        var az = Path.Combine(_directory, "az");
        File.WriteAllText(az, $$"""
            #!/bin/sh
            call=
            for argument do
                case $argument in
                    '' | *' '*) argument="\"$argument\"" ;;
                esac
                call="${call:+$call }$argument"
            done
            printf '%s\n' "$call" >> {{Quote(CallLog)}}
            {{matchers}}
            {{answers}}
            echo "stand-in az: unexpected call: $call" >&2
            exit 2
            """);
        var azd = Path.Combine(_directory, "azd");
        File.WriteAllText(azd, $"#!/bin/sh\nexec {Quote(az)} azd \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>A <c>case</c> pattern: the argument quoted literally, except <c>*</c>.</summary>
    private static string Pattern(string argument) => string.Join('*', argument.Split('*').Select(Quote));

    /// <summary>The arguments of a call written as <see cref="Calls"/> shows it.</summary>
    private static List<string> Arguments(string call)
    {
        var arguments = new List<string>();
        for (var at = 0; at < call.Length; at++)
        {
            // A quoted argument ends at the quote before a space (or the end); any other, at the next space.
            var quoted = call[at] == '"';
            var end = quoted ? call.IndexOf("\" ", at + 1, StringComparison.Ordinal) : call.IndexOf(' ', at);
            end = end < 0 ? (quoted ? call.Length - 1 : call.Length) : end;
            arguments.Add(quoted ? call[(at + 1)..end] : call[at..end]);
            at = quoted ? end + 1 : end;
        }

        return arguments;
    }

    private static string Quote(string text) => "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
