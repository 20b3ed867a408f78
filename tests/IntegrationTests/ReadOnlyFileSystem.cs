namespace IntegrationTests;

/// <summary>
/// Runs a command for which every file system is read-only — for root too, which file modes do not stop (the tests run
/// as root): in a private mount namespace (<c>unshare --mount</c>), each mount is remounted read-only. A bind remount
/// changes only that namespace's view; the rest of the machine keeps writing. Needs CAP_SYS_ADMIN: without it the
/// command fails, and so does the test, rather than running unconfined.
/// </summary>
public static class ReadOnlyFileSystem
{
    // Every mount but /proc and /sys (kernel interfaces, not storage); device nodes stay usable (/dev/null).
    private const string RemountAllReadOnly = """
        set -e
        for mount in $(awk '{ print $5 }' /proc/self/mountinfo | grep -v -E '^/(proc|sys)(/|$)' | sort -u); do
            mount -o bind,remount,ro "$mount"
        done
        exec "$@"
        """;

    /// <summary><paramref name="command"/> (program and arguments) as the command line that runs it read-only.</summary>
    public static IReadOnlyList<string> Wrap(IEnumerable<string> command) =>
        ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", RemountAllReadOnly, "sh", .. command];
}
