using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Payments;

namespace Lending.Domain.Tests.Loans;

public class PaymentTests
{
    private static readonly DateOnly Due1 = new(2026, 2, 15);

    private static IReadOnlyList<ILoanEvent> Decide(Loan loan, RecordPayment cmd, DateOnly today) =>
        PaymentDecisions.Decide(cmd, loan, today, BucketPolicy.Default, new Lending.Domain.Collections.CollectionsActor("collector-1", IsSupervisor: true), TestData.Now,
            PaymentPolicy.Default);

    [Fact]
    public void A_payment_records_its_allocation_and_who_took_it()
    {
        var b = LoanBuilder.Disbursed();
        var payment = Assert.IsType<PaymentReceived>(Assert.Single(Decide(b.Loan, new RecordPayment("bank-1", 1_066.19m, Due1), Due1)));

        Assert.Equal((120m, 946.19m, 0m), (payment.Interest, payment.Principal, payment.Overpayment));
        Assert.Equal(("collector-1", Due1, Due1), (payment.RecordedBy, payment.PaidOn, payment.BusinessDate));
    }

    [Fact]
    public void The_same_reference_again_is_the_same_payment_and_credits_nothing()
    {
        var b = LoanBuilder.Disbursed();
        b.Pay(500m, Due1, "bank-1");

        Assert.Empty(Decide(b.Loan, new RecordPayment("bank-1", 500m, Due1), Due1));
        Assert.Equal(500m, PaymentDecisions.Duplicate(new RecordPayment("bank-1", 500m, Due1), b.Loan)!.Amount);
    }

    [Fact]
    public void A_reference_reused_for_another_amount_is_refused()
    {
        var b = LoanBuilder.Disbursed();
        b.Pay(500m, Due1, "bank-1");

        var refused = Assert.Throws<LendingRuleViolated>(() => Decide(b.Loan, new RecordPayment("bank-1", 600m, Due1), Due1));
        Assert.Equal(("payment.reference_conflict", RefusalKind.Conflict), (refused.Code, refused.Kind));
    }

    [Theory]
    [InlineData(0, "payment.amount_not_positive")]
    [InlineData(-5, "payment.amount_not_positive")]
    [InlineData(10.001, "payment.amount_precision")]
    public void Amounts_must_be_positive_cents(decimal amount, string code) =>
        Assert.Equal(code, Assert.Throws<LendingRuleViolated>(() =>
            Decide(LoanBuilder.Disbursed().Loan, new RecordPayment("r", amount, Due1), Due1)).Code);

    [Fact]
    public void A_payment_cannot_be_dated_after_the_business_date_or_before_disbursement()
    {
        var loan = LoanBuilder.Disbursed().Loan;
        Assert.Equal("payment.paid_in_future",
            Assert.Throws<LendingRuleViolated>(() => Decide(loan, new RecordPayment("r", 10m, Due1.AddDays(1)), Due1)).Code);
        Assert.Equal("payment.before_disbursement",
            Assert.Throws<LendingRuleViolated>(() => Decide(loan, new RecordPayment("r", 10m, new DateOnly(2026, 1, 1)), Due1)).Code);
    }

    [Fact]
    public void A_payment_reclassifies_at_once()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(2));
        Assert.Equal(DelinquencyBucket.M1, b.Loan.Bucket);

        var events = b.Pay(1_066.19m, Due1.AddDays(2));

        var cured = Assert.Single(events.OfType<DelinquencyBucketChanged>());
        Assert.Equal((DelinquencyBucket.Current, "payment"), (cured.To, cured.Reason));
        Assert.Equal(LoanStatus.Active, b.Loan.Status);
    }

    [Fact]
    public void A_partial_payment_leaves_the_loan_overdue()
    {
        var b = LoanBuilder.Disbursed().CloseThrough(Due1.AddDays(2));
        var events = b.Pay(500m, Due1.AddDays(2));
        Assert.Empty(events.OfType<DelinquencyBucketChanged>());
        Assert.Equal(2, LoanPosition.DpdOf(b.Loan, Due1.AddDays(2)));
    }

    [Fact]
    public void Paying_everything_owed_pays_the_loan_off_and_closed_loans_take_no_more_payments()
    {
        var b = LoanBuilder.Disbursed(lateFee: 20m).CloseThrough(Due1.AddDays(10));
        var owed = LoanPosition.Of(b.Loan, Due1.AddDays(10)).TotalOutstanding;

        var events = b.Pay(owed, Due1.AddDays(10));

        var paidOff = Assert.Single(events.OfType<LoanPaidOff>());
        Assert.Equal(Due1.AddDays(10), paidOff.PaidOffOn);
        Assert.Equal(owed, paidOff.TotalPaid);
        Assert.Equal(0m, LoanPosition.Of(b.Loan, Due1.AddDays(10)).TotalOutstanding);
        Assert.Equal(LoanStatus.PaidOff, b.Loan.Status);
        Assert.Equal(("payment.loan_closed", RefusalKind.Conflict), (Assert.Throws<LendingRuleViolated>(() =>
            Decide(b.Loan, new RecordPayment("late", 1m, Due1.AddDays(10)), Due1.AddDays(10))) is var e ? (e.Code, e.Kind) : default));
    }

    [Fact]
    public void A_collector_records_payments_only_on_loans_in_their_queue()
    {
        var b = LoanBuilder.Disbursed();
        var refused = Assert.Throws<LendingRuleViolated>(() => PaymentDecisions.Decide(new RecordPayment("r", 100m, Due1), b.Loan, Due1,
            BucketPolicy.Default, new Lending.Domain.Collections.CollectionsActor("agent-8", false), TestData.Now, PaymentPolicy.Default));
        Assert.Equal(("loan.not_assigned_to_you", RefusalKind.Forbidden), (refused.Code, refused.Kind));
    }

    [Fact]
    public void A_payoff_certificate_is_dated_the_day_a_loan_was_paid_off_and_refused_before_or_after_a_write_off()
    {
        var b = LoanBuilder.Disbursed();
        Assert.Equal("loan.not_closed", Assert.Throws<LendingRuleViolated>(() => LoanClosure.CertificateDate(b.Loan)).Code);
        b.Pay(12_000m, Due1.AddDays(-31));
        Assert.Equal(Due1.AddDays(-31), LoanClosure.CertificateDate(b.Loan));
    }
}

