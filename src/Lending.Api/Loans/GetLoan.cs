using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.Setup;
using Lending.Domain.Loans;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Lending.Api.Loans;

public static class GetLoanEndpoint
{
    [WolverineGet("/loans/{loanId}", OperationId = "GetLoan")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Loans")]
    public static async Task<IResult> Get(Guid loanId, IQuerySession session, ClaimsPrincipal user, HttpResponse response, CancellationToken ct)
    {
        if (await session.LoadAsync<Loan>(loanId, ct) is not { } loan) return LoanNotFound(loanId);

        // The stream version is the loan's ETag: a client sends it back in If-Match to change the loan safely.
        response.Headers.ETag = $"\"{loan.Version}\"";
        return Results.Ok(LoanResponse.From(loan, user));
    }

    public static IResult LoanNotFound(Guid loanId) =>
        Results.Problem(Problems.Create(StatusCodes.Status404NotFound, "loan.not_found", $"There is no loan {loanId}."));
}
