using Lending.Api.Setup;
using Lending.Domain.Loans;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Loans;

/// <summary>Optimistic concurrency from the client's side: <c>If-Match</c> carries the ETag of <c>GET /loans/{id}</c>.</summary>
public static class IfMatch
{
    public static ProblemDetails Check(string? ifMatch, Loan loan)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*") return WolverineContinue.NoProblems;
        var tag = ifMatch.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        if (!long.TryParse(tag.Trim('"'), out var expected))
            return Problems.Create(StatusCodes.Status400BadRequest, "request.invalid_if_match", $"If-Match '{ifMatch}' is not an ETag of this API.");
        return expected == loan.Version
            ? WolverineContinue.NoProblems
            : Problems.Create(StatusCodes.Status412PreconditionFailed, "concurrency.stale_version",
                $"The loan is at version {loan.Version}, not {expected}: reload it and decide again.");
    }
}
