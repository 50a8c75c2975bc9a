using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Restructuring;

namespace Lending.Domain.Tests.Loans;

/// <summary>
/// A payment booked after its value date re-figures the loan as if it had been booked that day. The test loan: 12,000
/// at 12% over 12 months from 15 Jan 2026, instalment 1 (946.19 + 120.00) due 15 Feb, grace 3 days.
/// </summary>
public class ValueDatedPaymentTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static DateOnly Day(int n) => Due1.AddDays(n);

    private static List<(int, decimal, decimal, decimal, decimal, decimal, bool)> Ledger(Loan loan) => loan.Installments
        .Select(i => (i.Number, i.PrincipalDue, i.InterestDue, i.PenaltyDue, i.FeesDue, i.PenaltyCarry, i.LateFeeCharged)).ToList();

    [Fact]
    public void Money_that_arrived_five_days_late_and_was_booked_three_days_later_reverses_the_penalty_of_those_days()
    {
        var b = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day(8));
        Assert.Equal((8, DelinquencyBucket.M1, EscalationStage.EarlyCollection), (LoanPosition.DpdOf(b.Loan, Day(8)), b.Loan.Bucket, b.Loan.Stage));
        var penaltyBefore = b.Loan.Installments[0].Penalty; // days 4–8: 5 × 0.311 = 1.55

        // 1,066.19 + 25.00 late fee + 0.62 penalty of days 4–5 arrived on 20 Feb; the bank posted it on 23 Feb.
        var events = b.Pay(1_091.81m, Day(5), "bank-0220", bookedOn: Day(8));

        var payment = events.OfType<PaymentReceived>().Single();
        Assert.Equal((Day(5), Day(8)), (payment.PaidOn, payment.BusinessDate));
        Assert.Equal((0.62m, 25m, 120m, 946.19m, 0m), (payment.Penalty, payment.Fees, payment.Interest, payment.Principal, payment.Overpayment));
        var refigured = events.OfType<LedgerRefigured>().Single();
        Assert.Equal(penaltyBefore - 0.62m, refigured.PenaltyReversed); // days 6–8, booked only because it seemed unpaid
        Assert.Equal(0m, refigured.FeesReversed); // the late fee was due on 19 Feb, before the money came
        Assert.Equal(0m, b.Loan.Installments[0].TotalDue);
        Assert.Equal((0, DelinquencyBucket.Current, EscalationStage.None), (LoanPosition.DpdOf(b.Loan, Day(8)), b.Loan.Bucket, b.Loan.Stage));
        Assert.Contains(events, e => e is LoanCured);
    }

    [Fact]
    public void A_late_fee_charged_only_because_the_money_seemed_late_is_reversed()
    {
        var b = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day(6));
        Assert.Equal(25m, b.Loan.Installments[0].Fees);

        var refigured = b.Pay(1_066.19m, Day(2), "bank-0217", bookedOn: Day(6)).OfType<LedgerRefigured>().Single();

        Assert.Equal((25m, false), (refigured.FeesReversed, refigured.Adjustments.Single().LateFeeCharged));
        Assert.Equal(0m, b.Loan.Installments.Sum(i => i.PenaltyDue + i.FeesDue));
        Assert.False(b.Loan.Installments[0].LateFeeCharged);
    }

    [Fact]
    public void A_promise_broken_only_because_the_money_seemed_late_counts_as_kept()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(5));
        var promiseId = Guid.NewGuid();
        b.Then(new PromiseToPayMade(LoanBuilder.LoanId, promiseId, Guid.NewGuid(), 1_066.19m, Day(7), "agent-7", Day(5)));
        b.CloseThrough(Day(9));
        Assert.Equal(1, b.Loan.Collections.BrokenPromises);

        var events = b.Pay(1_070m, Day(7), "bank-0222", bookedOn: Day(9));

        Assert.Equal([promiseId], events.OfType<LedgerRefigured>().Single().PromisesKept);
        Assert.Equal((0, 1), (b.Loan.Collections.BrokenPromises, b.Loan.Collections.KeptPromises));
    }

    [Fact]
    public void A_later_payment_is_reallocated_as_it_would_have_fallen()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(10));
        b.Pay(500m, Day(10), "cash-0225"); // took penalty and interest first, then 379 of principal
        b.CloseThrough(Day(12));

        var events = b.Pay(1_066.19m, Day(4), "bank-0219", bookedOn: Day(12));

        var moved = events.OfType<LedgerRefigured>().Single().Reallocations.Single();
        Assert.Equal("cash-0225", moved.Reference);
        Assert.Equal(500m, moved.Lines.Sum(l => l.Total) + moved.Overpayment);
        Assert.Equal(0, LoanPosition.DpdOf(b.Loan, Day(12)));
    }

    [Fact]
    public void A_back_dated_payment_never_waives_interest_already_due_when_it_is_booked()
    {
        // Value-dated on the disbursement day, booked five days later: instalment 1's interest is owed by then.
        var b = LoanBuilder.Disbursed().CloseThrough(new DateOnly(2026, 1, 20));
        var events = b.Pay(12_000m, new DateOnly(2026, 1, 15), "refinance", bookedOn: new DateOnly(2026, 1, 20));

        var payment = events.OfType<PaymentReceived>().Single();
        Assert.Equal(0m, payment.Lines.Single(l => l.Installment == 1).InterestWaived);
        Assert.Equal(120m, LoanPosition.Of(b.Loan, new DateOnly(2026, 1, 20)).TotalOutstanding);
        Assert.DoesNotContain(events, e => e is LoanPaidOff);
    }

    [Fact]
    public void Value_dates_are_bounded_and_far_ones_need_a_supervisor()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Day(40));
        b.Then([.. CollectionsDecisions.Assign(b.Loan, AssigneeKind.Collector, "collector", new CollectionsActor("sup-1", true), Day(40), TestData.Now)]);
        Assert.Equal("payment.value_date_too_old", Refused(() => b.Pay(100m, Day(9), bookedOn: Day(40))).Code);
        var refusal = Refused(() => b.Pay(100m, Day(36), bookedOn: Day(40), supervisor: false));
        Assert.Equal(("payment.value_date_needs_supervisor", RefusalKind.Forbidden), (refusal.Code, refusal.Kind));
        Assert.NotEmpty(b.Pay(100m, Day(37), bookedOn: Day(40), supervisor: false)); // three days back: a collector may

        b.Then(RestructuringDecisions.Request(b.Loan, new RestructureTerms(RestructureType.Extension, 2, null, null, null), "illness", [],
            "agent-7", Guid.NewGuid(), Day(40), TestData.Now));
        b.Then([.. RestructuringDecisions.Approve(b.Loan, "sup-1", Day(40), TestData.Now, BucketPolicy.Default)]);
        b.CloseThrough(Day(42));
        Assert.Equal("payment.value_date_before_restructure", Refused(() => b.Pay(100m, Day(39), bookedOn: Day(42))).Code);
    }

    private static LendingRuleViolated Refused(Action act) => Assert.Throws<LendingRuleViolated>(act);

    public static Arbitrary<(int ValueDay, int Delay, int Cents, int OtherDay, int OtherCents, bool LateFee)> Cases() =>
        (from valueDay in Gen.Choose(-20, 70)
         from delay in Gen.Choose(1, 30)
         from cents in Gen.Choose(100, 400_000)
         from otherDay in Gen.Choose(0, 31)
         from otherCents in Gen.Choose(0, 200_000)
         from lateFee in ArbMap.Default.GeneratorFor<bool>()
         select (valueDay, delay, cents, otherDay, otherCents, lateFee)).ToArbitrary();

    /// <summary>
    /// Booking a payment late with its value date gives the ledger that booking it on the day would have given
    /// (penalty to the carried remainder, fees, DPD, bucket), with another payment in between or not.
    /// </summary>
    [Property(Arbitrary = [typeof(ValueDatedPaymentTests)], MaxTest = 100)]
    public bool Booked_late_with_its_value_date_equals_booked_on_the_day(
        (int ValueDay, int Delay, int Cents, int OtherDay, int OtherCents, bool LateFee) c)
    {
        var valueDate = Day(c.ValueDay);
        var booked = valueDate.AddDays(c.Delay);
        var otherDate = valueDate.AddDays(Math.Min(c.OtherDay, c.Delay));
        var amount = c.Cents / 100m;
        var other = c.OtherCents / 100m;
        var fee = c.LateFee ? 30m : 0m;

        var onTheDay = LoanBuilder.Disbursed(lateFee: fee).CloseThrough(valueDate);
        onTheDay.Pay(amount, valueDate, "late");
        if (other > 0m && otherDate > valueDate) { onTheDay.CloseThrough(otherDate); onTheDay.Pay(other, otherDate, "other"); }
        onTheDay.CloseThrough(booked);

        var late = LoanBuilder.Disbursed(lateFee: fee).CloseThrough(otherDate);
        if (other > 0m && otherDate > valueDate) late.Pay(other, otherDate, "other");
        late.CloseThrough(booked);
        var events = late.Pay(amount, valueDate, "late", bookedOn: booked);

        if (onTheDay.Loan.IsClosed || events.OfType<PaymentReceived>().Single().Lines.Sum(l => l.InterestWaived)
            != onTheDay.Events.OfType<PaymentReceived>().Single(p => p.Reference == "late").Lines.Sum(l => l.InterestWaived))
            return true; // a waiver the booking date forbids (tested above), or a payoff: the ledgers may differ by design
        return Ledger(late.Loan).SequenceEqual(Ledger(onTheDay.Loan))
            && LoanPosition.DpdOf(late.Loan, booked) == LoanPosition.DpdOf(onTheDay.Loan, booked)
            && late.Loan.Bucket == onTheDay.Loan.Bucket;
    }
}

public class AsOfTests
{
    [Fact]
    public void As_of_a_date_includes_an_event_of_that_date_written_after_an_event_of_the_next()
    {
        var due1 = new DateOnly(2026, 2, 15);
        var b = LoanBuilder.Disbursed().CloseThrough(due1.AddDays(10));
        // Booked for day 9 while day 10's close of business had already run on the loan.
        b.Pay(300m, due1.AddDays(9));

        var asOf9 = Loan.AsOf(b.Events, due1.AddDays(9))!;

        Assert.Equal(300m, Assert.Single(asOf9.Payments).Amount); // the payment counts on its own date
        Assert.Equal(due1.AddDays(9), asOf9.PenaltyAccruedThrough);      // day 10's close of business does not
    }
}

/// <summary>Value dating at the edges: a close of business already run past the business date, a loan booked after its disbursement.</summary>
public class ValueDatingEdgeTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);
    private static DateOnly Day(int n) => Due1.AddDays(n);

    private static List<(int, decimal, decimal, decimal, decimal, decimal)> Ledger(Loan loan) =>
        loan.Installments.Select(i => (i.Number, i.PrincipalDue, i.InterestDue, i.PenaltyDue, i.FeesDue, i.PenaltyCarry)).ToList();

    [Fact]
    public void A_payment_booked_while_the_next_dates_close_of_business_runs_is_refigured_through_that_date()
    {
        var onTime = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day(8));
        onTime.Pay(500m, Day(8), "p");
        onTime.CloseThrough(Day(10));

        // Business date 9; close of business for 10 has already accrued on the loan.
        var late = LoanBuilder.Disbursed(lateFee: 25m).CloseThrough(Day(10));
        late.Pay(500m, Day(8), "p", bookedOn: Day(9));

        Assert.Equal(Ledger(onTime.Loan), Ledger(late.Loan));
    }

    [Fact]
    public void A_payment_value_dated_before_the_loan_was_booked_starts_from_its_disbursement()
    {
        var jan15 = new DateOnly(2026, 1, 15);
        var jan20 = new DateOnly(2026, 1, 20);
        var booked = LoanBuilder.Disbursed(on: jan15);
        // The loan was disbursed on 15 Jan but booked on 20 Jan.
        var b = new LoanBuilder().Then([.. booked.Events.Select(e => e switch
        {
            LoanDisbursed d => (object)(d with { BusinessDate = jan20 }),
            RepaymentScheduleSet s => s with { BusinessDate = jan20 },
            _ => e,
        })]);

        var payment = b.Pay(500m, new DateOnly(2026, 1, 17), "early", bookedOn: jan20).OfType<PaymentReceived>().Single();

        Assert.Equal(500m, payment.Lines.Sum(l => l.Total));
        Assert.Equal(12_000m - 380m, b.Loan.PrincipalOutstanding); // 120.00 interest of the running period, then principal
    }
}
