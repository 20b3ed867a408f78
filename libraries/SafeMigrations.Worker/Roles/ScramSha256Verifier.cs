using System.Security.Cryptography;
using System.Text;

namespace SafeMigrations.Worker;

/// <summary>
/// PostgreSQL's SCRAM-SHA-256 password verifier, the form <c>pg_authid</c> stores: <c>ALTER ROLE … PASSWORD '&lt;verifier&gt;'</c>
/// then sets a password without the password itself ever being sent, so it cannot show in a trace, a server log or
/// <c>pg_stat_activity</c>. Computed here, as <c>psql</c>'s <c>\password</c> computes it (libpq's
/// <c>PQencryptPasswordConn</c>), because Npgsql has no public API for it.
/// </summary>
/// <remarks>RFC 5802 and 7677; the password is normalised as Npgsql normalises it when it logs in (Unicode NFKC).</remarks>
internal static class ScramSha256Verifier
{
    /// <summary>PostgreSQL's default iteration count (<c>scram_iterations</c>).</summary>
    public const int Iterations = 4096;

    private const int SaltLength = 16;

    /// <summary>The verifier of <paramref name="password"/>, with a fresh random salt unless one is given.</summary>
    public static string Create(string password, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(SaltLength);
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)),
            salt, Iterations, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(saltedPassword, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
