using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Domain.Loans.Delinquency;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Loans;

public sealed record InstallmentResponse(
    int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal Penalty, decimal Fees, decimal Paid,
    decimal Outstanding, InstallmentStatus Status);

public sealed record ScheduleResponse(Guid LoanId, DateOnly AsOf, string Currency, IReadOnlyList<InstallmentResponse> Installments);

public static class GetScheduleEndpoint
{
    [WolverineGet("/loans/{loanId}/schedule", OperationId = "GetSchedule")]
    [Authorize(Roles = Roles.Anyone)]
    [Tags("Loans")]
    [ProducesResponseType<ScheduleResponse>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(Guid loanId, DateOnly? asOf, IQuerySession session, BusinessCalendarStore calendars,
        CancellationToken ct)
    {
        var (loan, date) = await LoanReads.LoadAsync(session, calendars, loanId, asOf, ct);
        return Results.Ok(new ScheduleResponse(loan.Id, date, loan.Currency, loan.Installments.Select(i => new InstallmentResponse(
            i.Number, i.DueDate, i.Principal, i.Interest - i.InterestWaived, i.Penalty, i.Fees, i.TotalPaid, i.TotalDue,
            LoanPosition.StatusOf(i, date))).ToList()));
    }
}
