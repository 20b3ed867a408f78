using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Text;

namespace WebApp;

/// <summary>
/// Accepts one line of printable text: no control characters (NUL, tabs, line breaks, escapes) and no broken UTF-16
/// (a lone surrogate, which JSON can carry as <c>"\ud800"</c> and which PostgreSQL's UTF-8 cannot store).
/// Null passes; pair with <see cref="RequiredAttribute"/> where a value is needed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PrintableTextAttribute() : ValidationAttribute("{0} may contain only printable characters on one line.")
{
    /// <inheritdoc />
    public override bool IsValid(object? value) => value is not string text || IsPrintable(text);

    private static bool IsPrintable(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done || Rune.IsControl(rune))
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }
}
