using CsvHelper;

namespace Lending.Api.Analytics;

/// <summary>
/// <c>Accept: text/csv</c> on an analytics endpoint: the same figures as flat rows, written by CsvHelper (RFC 4180,
/// ISO dates, invariant numbers, formula injection guarded) with the JSON's names as headers.
/// </summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    public static bool IsWanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>The CSV when asked for, else the JSON.</summary>
    public static IResult Negotiate<T>(HttpRequest request, object json, Func<IEnumerable<T>> rows, string fileName) =>
        IsWanted(request) ? Write(rows(), fileName) : Results.Ok(json);

    public static IResult Write<T>(IEnumerable<T> rows, string fileName)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvWriterOptions.Default, leaveOpen: true))
            csv.WriteRecords(rows);
        return Results.File(buffer.ToArray(), $"{MediaType}; charset=utf-8", fileName);
    }
}
