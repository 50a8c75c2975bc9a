using Lending.Api.Auth;
using Lending.Api.BusinessDates;
using Lending.Api.Documents;
using Lending.Domain;
using Lending.Domain.Loans;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lending.Api.Loans;

public sealed record CertificateBorrower(string Id, string Name, string? NationalId);

public sealed record CertificateAmounts(decimal Principal, decimal Interest, decimal Penalty, decimal Fees, decimal Total);

public sealed record CertificatePayment(string Reference, DateOnly PaidOn, decimal Amount);

/// <summary>A payoff certificate (结清证明): the loan is closed and nothing remains owed.</summary>
public sealed record PayoffCertificate(
    string CertificateNumber,
    Guid LoanId,
    LoanStatus Status,
    CertificateBorrower Borrower,
    string ProductCode,
    string Currency,
    decimal Principal,
    DateOnly DisbursedOn,
    DateOnly ClosedOn,
    CertificateAmounts Paid,
    decimal InterestWaived,
    decimal Overpaid,
    IReadOnlyList<CertificatePayment> Payments,
    DateOnly IssuedOn,
    string Statement);

public static class GetPayoffCertificateEndpoint
{
    [WolverineGet("/loans/{loanId}/payoff-certificate", OperationId = "GetPayoffCertificate")]
    [Authorize(Roles = Roles.CaseHandlers)]
    [Tags("Loans")]
    [ProducesResponseType<PayoffCertificate>(StatusCodes.Status200OK, "application/json", PayoffCertificatePdf.ContentType)]
    public static async Task<IResult> Get(Guid loanId, HttpRequest request, IQuerySession session, BusinessCalendarStore calendars,
        DocumentFonts fonts, CancellationToken ct)
    {
        var (loan, today) = await LoanReads.LoadAsync(session, calendars, loanId, asOf: null, ct);
        var certificate = Issue(loan, today);
        return request.Headers.Accept.Any(a => a?.Contains(PayoffCertificatePdf.ContentType, StringComparison.OrdinalIgnoreCase) == true)
            ? Results.File(PayoffCertificatePdf.Render(certificate, fonts), PayoffCertificatePdf.ContentType,
                $"payoff-certificate-{certificate.CertificateNumber}.pdf")
            : Results.Ok(certificate);
    }

    public static PayoffCertificate Issue(Loan loan, DateOnly today)
    {
        var closedOn = Lending.Domain.Loans.LoanClosure.CertificateDate(loan);

        var i = loan.Installments;
        var paid = new CertificateAmounts(i.Sum(x => x.PrincipalPaid), i.Sum(x => x.InterestPaid), i.Sum(x => x.PenaltyPaid),
            i.Sum(x => x.FeesPaid), i.Sum(x => x.TotalPaid));
        // The loan keeps its payments in booking order: on one value date, the one booked first comes first.
        var payments = loan.Payments.OrderBy(p => p.PaidOn)
            .Select(p => new CertificatePayment(p.Reference, p.PaidOn, p.Amount)).ToList();

        return new PayoffCertificate(
            $"PO-{loan.Id.ToString("N")[..12].ToUpperInvariant()}-{closedOn:yyyyMMdd}",
            loan.Id, loan.Status, new CertificateBorrower(loan.Borrower.Id, loan.Borrower.Name, loan.Borrower.NationalId),
            loan.ProductCode, loan.Currency, loan.Principal, loan.DisbursedOn, closedOn, paid,
            i.Sum(x => x.InterestWaived), loan.Overpaid, payments, today,
            $"Loan {loan.Id} of {loan.Borrower.Name}, disbursed on {loan.DisbursedOn:yyyy-MM-dd} for {loan.Principal:0.00} {loan.Currency}, " +
            (loan.Status == LoanStatus.Settled
                ? $"was settled by agreement on {closedOn:yyyy-MM-dd}; the balance beyond the agreed amount is forgiven. "
                : $"was repaid in full on {closedOn:yyyy-MM-dd}. ") +
            "Nothing remains owed under this contract.");
    }
}
