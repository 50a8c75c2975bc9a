using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Loans;

public static class GetLoanEndpoint
{
    /// <param name="asOf">A past business date: the loan as it stood at the end of that date.</param>
    [WolverineGet("/loans/{loanId}", OperationId = "GetLoan")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Loans")]
    [ProducesResponseType<LoanResponse>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid loanId, DateOnly? asOf, IQuerySession session, BusinessCalendarStore calendars,
        ClaimsPrincipal user, HttpResponse response, CancellationToken ct)
    {
        var (loan, date) = await LoanReads.LoadAsync(session, calendars, loanId, asOf, ct);
        // The stream version is the loan's ETag: a client sends it back in If-Match to change the loan safely.
        response.Headers.ETag = $"\"{loan.Version}\"";
        return Results.Ok(LoanResponse.From(loan, date, user));
    }
}
