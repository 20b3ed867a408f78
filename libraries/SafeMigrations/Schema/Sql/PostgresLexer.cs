using System.Globalization;
using System.Text;

namespace SafeMigrations.Schema.Sql;

/// <summary>
/// Splits SQL into tokens as PostgreSQL's own lexer (scan.l) does: standard strings (<c>''</c> for a quote),
/// <c>E'…'</c> with backslash escapes, <c>B'…'</c>, <c>X'…'</c>, <c>N'…'</c>, <c>U&amp;'…'</c>, dollar quoting with
/// tags (<c>$tag$…$tag$</c>), quoted names (<c>""</c> for a quote), nested block comments and line comments.
/// </summary>
/// <remarks>
/// Hand-written because PostgreSQL's parser is not available to .NET; what it must agree with is tested against
/// libpg_query (PostgreSQL's parser as a library). Strings follow <c>standard_conforming_strings = on</c>, PostgreSQL's
/// default. Whatever it cannot read safely becomes an <see cref="SqlTokenKind.Unreadable"/> token.
/// </remarks>
internal static class PostgresLexer
{
    private const string OperatorCharacters = "+-*/<>=~!@#%^&|`?";

    /// <summary>The tokens of <paramref name="sql"/>, comments and white space left out.</summary>
    public static IReadOnlyList<SqlToken> Tokens(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && next == '-')
            {
                i = LineCommentEnd(sql, i);
            }
            else if (c == '/' && next == '*')
            {
                var end = BlockCommentEnd(sql, i);
                if (end < 0)
                {
                    tokens.Add(Unreadable(sql, i));
                    break;
                }

                i = end;
            }
            else
            {
                var token = Next(sql, i);
                tokens.Add(token);
                if (token.Kind == SqlTokenKind.Unreadable)
                {
                    break;
                }

                i = token.End;
            }
        }

        return tokens;
    }

    private static SqlToken Next(string sql, int i)
    {
        var c = sql[i];
        var next = At(sql, i + 1);
        switch (c)
        {
            case '\'':
                return StandardString(sql, i, i);
            case 'E' or 'e' when next == '\'':
                return EscapeString(sql, i);
            case 'B' or 'b' or 'X' or 'x' or 'N' or 'n' when next == '\'':
                return StandardString(sql, i, i + 1);
            case 'U' or 'u' when next == '&' && At(sql, i + 2) is '\'' or '"':
                return UnicodeEscaped(sql, i);
            case '"':
                return QuotedIdentifier(sql, i, i);
            case '$' when char.IsAsciiDigit(next):
                return Read(sql, i, i + 1, char.IsAsciiDigit, SqlTokenKind.Parameter);
            case '$':
                return DollarString(sql, i);
            case ':' when next is ':' or '=':
            case '.' when next == '.':
            case '=' when next == '>' && !IsOperatorCharacter(At(sql, i + 2)):
                return new(SqlTokenKind.Punctuation, sql.Substring(i, 2), sql.Substring(i, 2), i);
            case '.' when char.IsAsciiDigit(next):
                return Number(sql, i);
            case '(' or ')' or '[' or ']' or ',' or ';' or ':' or '.':
                return new(SqlTokenKind.Punctuation, c.ToString(), c.ToString(), i);
        }

        if (IsIdentifierStart(c))
        {
            var word = Read(sql, i, i + 1, IsIdentifierPart, SqlTokenKind.Word);
            return word with { Value = FoldCase(word.Text) };
        }

        if (char.IsAsciiDigit(c))
        {
            return Number(sql, i);
        }

        return IsOperatorCharacter(c) ? Operator(sql, i) : new(SqlTokenKind.Punctuation, c.ToString(), c.ToString(), i);
    }

    /// <summary>PostgreSQL folds only ASCII letters of a bare name (downcase_identifier, in a UTF-8 database).</summary>
    private static string FoldCase(string word) => string.Create(word.Length, word, (span, w) =>
    {
        for (var k = 0; k < w.Length; k++)
        {
            span[k] = char.IsAsciiLetterUpper(w[k]) ? (char)(w[k] + 32) : w[k];
        }
    });

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private static bool IsOperatorCharacter(char c) => c != '\0' && OperatorCharacters.Contains(c);

    private static char At(string sql, int i) => i < sql.Length ? sql[i] : '\0';

    private static SqlToken Read(string sql, int start, int from, Func<char, bool> part, SqlTokenKind kind)
    {
        var end = from;
        while (end < sql.Length && part(sql[end]))
        {
            end++;
        }

        var text = sql[start..end];
        return new(kind, text, text, start);
    }

    private static SqlToken Unreadable(string sql, int start) => new(SqlTokenKind.Unreadable, sql[start..], sql[start..], start);

    private static int LineCommentEnd(string sql, int i)
    {
        var end = sql.IndexOfAny(['\n', '\r'], i);
        return end < 0 ? sql.Length : end;
    }

    /// <summary>The offset after the block comment at <paramref name="i"/>; block comments nest. -1 when it never ends.</summary>
    private static int BlockCommentEnd(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return -1;
    }

    /// <summary>
    /// An operator, as scan.l reads one: cut where a comment starts, and without a trailing <c>+</c> or <c>-</c> unless it
    /// holds one of <c>~ ! @ # % ^ &amp; | ` ?</c> (so <c>=-1</c> is <c>=</c> then <c>-</c>).
    /// </summary>
    private static SqlToken Operator(string sql, int start)
    {
        var end = start + 1;
        while (end < sql.Length && IsOperatorCharacter(sql[end])
               && !(sql[end] == '-' && At(sql, end + 1) == '-') && !(sql[end] == '/' && At(sql, end + 1) == '*'))
        {
            end++;
        }

        while (end - start > 1 && sql[end - 1] is '+' or '-' && sql.AsSpan(start, end - start).IndexOfAny("~!@#%^&|`?") < 0)
        {
            end--;
        }

        var text = sql[start..end];
        return new(SqlTokenKind.Operator, text, text, start);
    }

    private static SqlToken Number(string sql, int start)
    {
        var end = start;
        while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_' || sql[end] == '.' && At(sql, end + 1) != '.'
                                    || (sql[end] is '+' or '-') && sql[end - 1] is 'e' or 'E' && !sql[start..end].StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            end++;
        }

        var text = sql[start..end];
        return new(SqlTokenKind.Number, text, text, start);
    }

    /// <summary><c>'…'</c> (and <c>B'…'</c>, <c>X'…'</c>, <c>N'…'</c>): a doubled quote stands for one, nothing else is special.</summary>
    private static SqlToken StandardString(string sql, int start, int quote)
    {
        var value = new StringBuilder();
        var i = quote + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '\'')
            {
                if (At(sql, i + 1) != '\'')
                {
                    return new(SqlTokenKind.String, sql[start..(i + 1)], value.ToString(), start);
                }

                i++;
            }

            value.Append(sql[i]);
            i++;
        }

        return Unreadable(sql, start);
    }

    /// <summary><c>E'…'</c>: backslash escapes (<c>\'</c>, <c>\\</c>, <c>\n</c>, octal, hex, Unicode) and doubled quotes.</summary>
    private static SqlToken EscapeString(string sql, int start)
    {
        var value = new StringBuilder();
        var i = start + 2;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'')
            {
                if (At(sql, i + 1) != '\'')
                {
                    return new(SqlTokenKind.String, sql[start..(i + 1)], value.ToString(), start);
                }

                value.Append('\'');
                i += 2;
            }
            else if (c == '\\' && i + 1 < sql.Length)
            {
                i = Escape(sql, i + 1, value);
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        return Unreadable(sql, start);
    }

    /// <summary>Decodes the escape after a backslash at <paramref name="i"/> into <paramref name="value"/>; returns the offset after it.</summary>
    private static int Escape(string sql, int i, StringBuilder value)
    {
        var c = sql[i];
        switch (c)
        {
            case 'b': value.Append('\b'); return i + 1;
            case 'f': value.Append('\f'); return i + 1;
            case 'n': value.Append('\n'); return i + 1;
            case 'r': value.Append('\r'); return i + 1;
            case 't': value.Append('\t'); return i + 1;
            case 'x' when char.IsAsciiHexDigit(At(sql, i + 1)):
                return CodePoint(sql, i + 1, 2, 16, value);
            case 'u' or 'U':
                var digits = c == 'u' ? 4 : 8;
                return i + digits < sql.Length && sql.Substring(i + 1, digits).All(char.IsAsciiHexDigit)
                    ? CodePoint(sql, i + 1, digits, 16, value)
                    : AppendOne(c, i, value);
            case >= '0' and <= '7':
                return CodePoint(sql, i, 3, 8, value);
            default:
                return AppendOne(c, i, value);
        }
    }

    private static int AppendOne(char c, int i, StringBuilder value)
    {
        value.Append(c);
        return i + 1;
    }

    private static int CodePoint(string sql, int i, int maxDigits, int radix, StringBuilder value)
    {
        var end = i;
        while (end < sql.Length && end - i < maxDigits && (radix == 16 ? char.IsAsciiHexDigit(sql[end]) : sql[end] is >= '0' and <= '7'))
        {
            end++;
        }

        var code = Convert.ToInt32(sql[i..end], radix);
        value.Append(code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF) ? char.ConvertFromUtf32(code) : "\uFFFD");
        return end;
    }

    /// <summary><c>"Name"</c> (from <paramref name="quote"/>): a doubled quote stands for one.</summary>
    private static SqlToken QuotedIdentifier(string sql, int start, int quote)
    {
        var end = sql.IndexOf('"', quote + 1);
        while (end >= 0 && At(sql, end + 1) == '"')
        {
            end = sql.IndexOf('"', end + 2);
        }

        return end < 0
            ? Unreadable(sql, start)
            : new(SqlTokenKind.QuotedIdentifier, sql[start..(end + 1)], sql[(quote + 1)..end].Replace("\"\"", "\""), start);
    }

    /// <summary>
    /// <c>U&amp;'…'</c> and <c>U&amp;"…"</c>: quoted as usual, with <c>\XXXX</c> and <c>\+XXXXXX</c> for code points.
    /// A <c>UESCAPE</c> clause after it (another escape character) is not decoded here.
    /// </summary>
    private static SqlToken UnicodeEscaped(string sql, int start)
    {
        var quoted = sql[start + 2] == '\'' ? StandardString(sql, start, start + 2) : QuotedIdentifier(sql, start, start + 2);
        if (quoted.Kind == SqlTokenKind.Unreadable)
        {
            return quoted;
        }

        var rest = sql.AsSpan(quoted.End).TrimStart();
        if (rest.StartsWith("uescape", StringComparison.OrdinalIgnoreCase))
        {
            return Unreadable(sql, start);
        }

        var value = new StringBuilder();
        var raw = quoted.Value;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] == '\\')
            {
                value.Append('\\');
                i++;
            }
            else if (raw[i] == '\\' && i + 4 < raw.Length && raw.Substring(i + 1, 4).All(char.IsAsciiHexDigit))
            {
                value.Append(char.ConvertFromUtf32(int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                i += 4;
            }
            else if (raw[i] == '\\' && i + 7 < raw.Length && raw[i + 1] == '+' && raw.Substring(i + 2, 6).All(char.IsAsciiHexDigit))
            {
                value.Append(char.ConvertFromUtf32(int.Parse(raw.AsSpan(i + 2, 6), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                i += 7;
            }
            else
            {
                value.Append(raw[i]);
            }
        }

        return quoted with { Value = value.ToString() };
    }

    /// <summary>
    /// <c>$$…$$</c> or <c>$tag$…$tag$</c>: nothing inside is special up to the same tag. A <c>$</c> that opens no tag is
    /// punctuation (PostgreSQL would refuse it).
    /// </summary>
    private static SqlToken DollarString(string sql, int start)
    {
        var tagEnd = start + 1;
        if (tagEnd < sql.Length && IsIdentifierStart(sql[tagEnd]))
        {
            while (tagEnd < sql.Length && (IsIdentifierStart(sql[tagEnd]) || char.IsAsciiDigit(sql[tagEnd])))
            {
                tagEnd++;
            }
        }

        if (At(sql, tagEnd) != '$')
        {
            return new(SqlTokenKind.Punctuation, "$", "$", start);
        }

        var tag = sql[start..(tagEnd + 1)];
        var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        return close < 0
            ? Unreadable(sql, start)
            : new(SqlTokenKind.String, sql[start..(close + tag.Length)], sql[(tagEnd + 1)..close], start);
    }
}
