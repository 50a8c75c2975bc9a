using Lending.Api.Auth;
using Lending.Api.Loans;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Collections;

public static class GetContactsEndpoint
{
    /// <summary>The contact history of a loan, oldest first (newest last), as recorded.</summary>
    [WolverineGet("/loans/{loanId}/contacts", OperationId = "GetContacts")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Collections")]
    [ProducesResponseType<IReadOnlyList<ContactResponse>>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid loanId, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(loanId, token: ct);
        if (events.Count == 0) throw LoanReads.NotFound(loanId);
        return Results.Ok(ContactHistory.From(events.Select(e => e.Data)).OrderBy(c => c.OccurredAt).ToList());
    }
}
