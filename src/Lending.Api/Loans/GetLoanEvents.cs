using Lending.Api.Auth;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Lending.Api.Loans;

/// <summary>One event of a loan's stream, as recorded: the evidence of what happened and when.</summary>
public sealed record LoanEventResponse(long Sequence, long Version, string Type, DateTimeOffset Timestamp, object Data);

public static class GetLoanEventsEndpoint
{
    // Events carry the borrower's identity, so risk analysts (who never see it) are not among the readers.
    [WolverineGet("/loans/{loanId}/events", OperationId = "GetLoanEvents")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Loans")]
    public static async Task<IResult> Get(Guid loanId, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(loanId, token: ct);
        if (events.Count == 0) throw LoanReads.NotFound(loanId);
        return Results.Ok(events.Select(e => new LoanEventResponse(e.Sequence, e.Version, e.EventTypeName, e.Timestamp, e.Data)));
    }
}
