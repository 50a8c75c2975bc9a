using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lending.Evidence;

/// <summary>
/// JSON in one canonical form (RFC 8785 style), so that a hash of it does not depend on who wrote it: object members
/// sorted by their names' UTF-16 code units, no whitespace, strings escaped only where JSON requires (<c>\"</c>,
/// <c>\\</c>, control characters as <c>\b \t \n \f \r</c> or <c>\u00xx</c>), everything else as UTF-8.
/// One departure from RFC 8785: numbers are kept exactly as written (<c>1.50</c> stays <c>1.50</c>), not re-printed as
/// IEEE doubles, because amounts of money must never pass through binary floating point.
/// </summary>
public static class CanonicalJson
{
    public static string Canonicalize(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        var sb = new StringBuilder(json.Length);
        Write(doc.RootElement, sb);
        return sb.ToString();
    }

    public static byte[] CanonicalBytes(string json) => Encoding.UTF8.GetBytes(Canonicalize(json));

    private static void Write(JsonElement e, StringBuilder sb)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(item, sb);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(e.GetString()!, sb);
                break;
            case JsonValueKind.Number:
                sb.Append(e.GetRawText());
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            default: sb.Append("null"); break;
        }
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
