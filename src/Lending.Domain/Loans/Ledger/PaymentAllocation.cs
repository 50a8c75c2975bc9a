namespace Lending.Domain.Loans.Ledger;

/// <summary>
/// What a payment does to the ledger now: its amount, value date and how it stands allocated (as booked, or as a later
/// value-dated payment re-allocated it). Who recorded it, when and on which business date stay in its
/// <see cref="PaymentReceived"/> event; the loan keeps only what its figures need (cost of borrowing, re-figuring).
/// </summary>
public sealed record PaymentAllocation(string Reference, DateOnly PaidOn, decimal Amount, IReadOnlyList<AllocationLine> Lines,
    decimal Overpayment = 0m)
{
    public decimal Principal => Lines.Sum(l => l.Principal);

    public static PaymentAllocation Of(PaymentReceived p) => new(p.Reference, p.PaidOn, p.Amount, p.Lines, p.Overpayment);
}
