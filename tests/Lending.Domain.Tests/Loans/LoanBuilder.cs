using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Products;

namespace Lending.Domain.Tests.Loans;

/// <summary>Builds a loan's history through the real decisions, as the API would.</summary>
internal sealed class LoanBuilder
{
    public static readonly Guid LoanId = Guid.Parse("0195d0c4-0000-7000-8000-000000000042");
    private readonly List<object> _events = [];

    public Loan Loan => _events.Aggregate((Loan?)null, Loan.Evolve)!;
    public IReadOnlyList<object> Events => _events;

    public static LoanBuilder Disbursed(decimal principal = 12_000m, decimal rate = 0.12m, int installments = 12,
        DateOnly? on = null, decimal multiplier = 1.5m, decimal cap = 0.24m, int grace = 3, decimal lateFee = 0m,
        decimal tolerance = 0m, Amortization amortization = Amortization.Annuity, int? termDays = null,
        IReadOnlyList<Component>? order = null, ConductProfile? profile = null, bool? feesWithinCap = null, string timeZone = "Asia/Shanghai")
    {
        var date = on ?? new DateOnly(2026, 1, 15);
        var product = ProductDecisions.Define(new DefineProduct("P", "P", amortization,
            amortization == Amortization.Bullet ? null : installments, PaymentFrequency.Monthly, termDays, rate, DayCount.Act365,
            grace, multiplier, lateFee, cap, profile, "CNY", order, tolerance, FeesWithinCap: feesWithinCap), TestData.Now, "admin");
        var builder = new LoanBuilder();
        builder._events.AddRange(DisbursementDecisions.Decide(new DisburseLoan(LoanId, "P", principal, "CNY", date,
            TestData.Borrower(timeZone), null, null), null, product, date, "sup", TestData.Now));
        return builder;
    }

    /// <summary>Runs close of business for every date from the day after the last one through <paramref name="through"/>.</summary>
    public LoanBuilder CloseThrough(DateOnly through, DateOnly? from = null)
    {
        for (var d = from ?? Loan.LastBusinessDate.AddDays(1); d <= through; d = d.AddDays(1))
            _events.AddRange(LoanCloseOfBusiness.Decide(Loan, d, BucketPolicy.Default, EscalationLadder.Default));
        return this;
    }

    /// <summary>A payment booked on <paramref name="bookedOn"/> (the value date <paramref name="on"/> unless given).</summary>
    public IReadOnlyList<ILoanEvent> Pay(decimal amount, DateOnly on, string? reference = null, DateOnly? bookedOn = null,
        bool supervisor = true)
    {
        var events = PaymentDecisions.Decide(new RecordPayment(reference ?? $"ref-{_events.Count}", amount, on), Loan, bookedOn ?? on,
            BucketPolicy.Default, new Lending.Domain.Collections.CollectionsActor(supervisor ? "sup-9" : "collector", supervisor), TestData.Now,
            PaymentPolicy.Default, [.. _events.Cast<ILoanEvent>()]);
        _events.AddRange(events);
        return events;
    }

    /// <summary>A restructure requested by a collector and approved by a supervisor on <paramref name="on"/>.</summary>
    public LoanBuilder Restructure(Lending.Domain.Restructuring.RestructureTerms terms, DateOnly on)
    {
        Then(Lending.Domain.Restructuring.RestructuringDecisions.Request(Loan, terms, "hardship", [], "agent-7", Guid.NewGuid(), on, TestData.Now));
        return Then([.. Lending.Domain.Restructuring.RestructuringDecisions.Approve(Loan, "sup-1", on, TestData.Now, BucketPolicy.Default)]);
    }

    /// <summary>The first instalment a restructure added.</summary>
    public Lending.Domain.Loans.Ledger.Installment FirstRestructured =>
        Loan.Schedule.First(i => i.Number >= Loan.Restructuring.FirstRestructuredInstallment);

    public LoanBuilder Then(params object[] events)
    {
        _events.AddRange(events);
        return this;
    }
}
