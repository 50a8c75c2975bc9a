using System.Security.Claims;
using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Products;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Lending.Api.Loans;

public sealed record BorrowerRequest(string? Id, string? Name, string? Phone, string? Email, string? NationalId, string? TimeZone, string? Address);

/// <summary>The body of <c>POST /loans</c> (API.md "Loans").</summary>
public sealed record DisburseLoanRequest(
    Guid? LoanId,
    string? ProductCode,
    decimal? Principal,
    string? Currency,
    DateOnly? DisbursedOn,
    BorrowerRequest? Borrower,
    string? Region,
    string? Branch);

/// <summary>What a disbursement decision needs besides the request.</summary>
public sealed record DisbursementContext(Guid LoanId, Product? Product, Loan? Existing, DateOnly BusinessDate);

public static class DisburseLoanEndpoint
{
    public static ProblemDetails Validate(DisburseLoanRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.LoanId == Guid.Empty) errors["loanId"] = ["The loan id cannot be the empty GUID."];
        if (string.IsNullOrWhiteSpace(request.ProductCode)) errors["productCode"] = ["A product code is required."];
        if (request.Principal is null) errors["principal"] = ["The principal is required."];
        if (string.IsNullOrWhiteSpace(request.Currency)) errors["currency"] = ["A currency is required."];
        if (request.Borrower is not { } b) errors["borrower"] = ["The borrower is required."];
        else
        {
            if (string.IsNullOrWhiteSpace(b.Id)) errors["borrower.id"] = ["The borrower's id is required."];
            if (string.IsNullOrWhiteSpace(b.Name)) errors["borrower.name"] = ["The borrower's name is required."];
            if (string.IsNullOrWhiteSpace(b.TimeZone)) errors["borrower.timeZone"] = ["The borrower's time zone (IANA, e.g. Asia/Shanghai) is required."];
        }
        return errors.Count > 0 ? Problems.Invalid(errors) : WolverineContinue.NoProblems;
    }

    public static async Task<DisbursementContext> LoadAsync(DisburseLoanRequest request, IDocumentSession session,
        BusinessCalendarStore calendars, TimeProvider clock, CancellationToken ct)
    {
        var loanId = request.LoanId ?? Guid.CreateVersion7(clock.GetUtcNow());
        var product = await session.LoadAsync<Product>(request.ProductCode!, ct);
        var existing = await session.LoadAsync<Loan>(loanId, ct);
        return new DisbursementContext(loanId, product, existing, await calendars.TodayAsync(session, ct));
    }

    [WolverinePost("/loans", OperationId = "DisburseLoan")]
    [Authorize(Roles = Roles.SupervisorOrAdmin)]
    [Tags("Loans")]
    [ProducesResponseType<LoanResponse>(StatusCodes.Status201Created)]
    public static (IResult, IStartStream) Post(DisburseLoanRequest request, DisbursementContext context,
        ClaimsPrincipal user, TimeProvider clock)
    {
        var b = request.Borrower!;
        var command = new DisburseLoan(context.LoanId, request.ProductCode!, request.Principal!.Value, request.Currency!,
            request.DisbursedOn ?? context.BusinessDate,
            new Borrower(b.Id!, b.Name!, b.Phone, b.Email, b.NationalId, b.TimeZone!, b.Address),
            request.Region, request.Branch);

        var events = DisbursementDecisions.Decide(command, context.Existing, context.Product, context.BusinessDate,
            user.Id(), clock.GetUtcNow());

        var loan = events.Aggregate((Loan?)null, (state, e) => Loan.Evolve(state, e))!;
        loan.Version = events.Count;
        return (Results.Created($"/loans/{loan.Id}", LoanResponse.From(loan, context.BusinessDate, user)),
            MartenOps.StartStream<Loan>(loan.Id, [.. events]));
    }
}
