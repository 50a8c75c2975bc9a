using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Domain.Loans.Payments;

/// <summary>Record a repayment received from the borrower, identified by the payer's external reference.</summary>
public sealed record RecordPayment(string Reference, decimal Amount, DateOnly PaidOn);

public static class PaymentDecisions
{
    /// <summary>
    /// The payment with its allocation, the immediate reclassification it causes, and the pay-off when nothing is
    /// left. A reference already recorded is the same payment: see <see cref="Duplicate"/>. A payment value-dated before
    /// the business date re-figures the loan from that date (<see cref="ValueDating"/>), which needs the loan's
    /// <paramref name="history"/> (its events in stream order).
    /// </summary>
    public static IReadOnlyList<ILoanEvent> Decide(RecordPayment cmd, Loan loan, DateOnly businessDate, BucketPolicy buckets,
        CollectionsActor actor, DateTimeOffset now, PaymentPolicy policy, IReadOnlyList<ILoanEvent>? history = null)
    {
        CollectionsDecisions.EnsureActsOn(loan, actor); // collectors on their own loans; supervisors on any
        if (Duplicate(cmd, loan) is not null) return [];
        // Collection goes on after a write-off: what comes in then is a recovery.
        if (loan.IsClosed && loan.Status != LoanStatus.WrittenOff)
            throw new LendingRuleViolated("payment.loan_closed", $"The loan is {loan.Status}; it takes no more payments.", RefusalKind.Conflict);
        if (cmd.Amount <= 0m)
            throw new LendingRuleViolated("payment.amount_not_positive", "The amount must be greater than zero.");
        if (!Money.HasAtMostTwoDecimals(cmd.Amount))
            throw new LendingRuleViolated("payment.amount_precision", "The amount has at most 2 decimals.");
        if (cmd.PaidOn > businessDate)
            throw new LendingRuleViolated("payment.paid_in_future",
                $"The payment date {cmd.PaidOn:yyyy-MM-dd} is after the business date {businessDate:yyyy-MM-dd}.");
        if (cmd.PaidOn < loan.DisbursedOn)
            throw new LendingRuleViolated("payment.before_disbursement", "A payment cannot precede the disbursement.");
        var daysBack = businessDate.DayNumber - cmd.PaidOn.DayNumber;
        if (daysBack > policy.MaxBackDays)
            throw new LendingRuleViolated("payment.value_date_too_old",
                $"A payment may be value-dated at most {policy.MaxBackDays} days before the business date.");
        if (daysBack > policy.SupervisorBackDays && !actor.IsSupervisor)
            throw new LendingRuleViolated("payment.value_date_needs_supervisor",
                $"A value date more than {policy.SupervisorBackDays} days back is recorded by a supervisor.", RefusalKind.Forbidden);

        var (lines, overpayment, correction) = daysBack == 0
            ? Booked(Waterfall.Allocate(loan, cmd.Amount, cmd.PaidOn))
            : ValueDating.Refigure(history ?? throw new ArgumentNullException(nameof(history), "A value-dated payment re-figures the loan's history."),
                loan, cmd.Reference, cmd.Amount, cmd.PaidOn, businessDate);
        var payment = new PaymentReceived(loan.Id, cmd.Reference, cmd.Amount, cmd.PaidOn, lines, overpayment, actor.Id, now, businessDate,
            Recovery: loan.Status == LoanStatus.WrittenOff);
        var events = new List<ILoanEvent> { payment };
        var after = Loan.Evolve(loan, payment);
        if (correction is not null)
        {
            events.Add(correction);
            after = Loan.Evolve(after, correction);
        }

        if (CollectionsDecisions.PromiseKeptBy(after, businessDate) is { } kept)
        {
            events.Add(kept);
            after = Loan.Evolve(after, kept);
        }
        if (Restructuring.RestructuringDecisions.SettledBy(after, cmd.PaidOn, businessDate) is { } settled)
        {
            if (after.Stage != EscalationStage.None) events.Add(new LoanCured(loan.Id, after.Stage, businessDate));
            events.AddRange(EscalationDecisions.Withdrawal(after, "settled", businessDate));
            events.Add(settled);
            return events;
        }
        if (after.Installments.All(i => i.IsSettled))
        {
            if (after.Stage != EscalationStage.None) events.Add(new LoanCured(loan.Id, after.Stage, businessDate));
            if (after.Bucket != DelinquencyBucket.Current)
                events.Add(new DelinquencyBucketChanged(loan.Id, after.Bucket, DelinquencyBucket.Current, 0, "payment", businessDate));
            events.AddRange(EscalationDecisions.Withdrawal(after, "paid_off", businessDate));
            events.Add(new LoanPaidOff(loan.Id, cmd.PaidOn, after.Installments.Sum(i => i.TotalPaid), businessDate));
            return events;
        }

        // A written-off loan stays charged off (and on its stage) until recoveries settle everything.
        if (after.Status == LoanStatus.WrittenOff) return events;

        // Immediate reclassification: the payment moves DPD and bucket now, not at the next close of business.
        var dpd = LoanPosition.DpdOf(after, businessDate);
        var bucket = buckets.For(dpd);
        if (bucket != after.Bucket)
            events.Add(new DelinquencyBucketChanged(loan.Id, after.Bucket, bucket, dpd, "payment", businessDate));
        if (dpd == 0 && after.Stage != EscalationStage.None)
            events.Add(new LoanCured(loan.Id, after.Stage, businessDate));
        if (dpd == 0) events.AddRange(EscalationDecisions.Withdrawal(after, "cured", businessDate));
        return events;
    }

    private static ValueDating.Outcome Booked(Waterfall.Result allocation) => new(allocation.Lines, allocation.Overpayment, null);

    /// <summary>
    /// The payment already recorded under this reference, if any; a different amount under it is refused. Its original
    /// answer is in its <see cref="PaymentReceived"/> event (the service finds it by the loan's payment references).
    /// </summary>
    public static Ledger.PaymentAllocation? Duplicate(RecordPayment cmd, Loan loan)
    {
        if (loan.Payment(cmd.Reference) is not { } earlier) return null;
        if (earlier.Amount != cmd.Amount)
            throw new LendingRuleViolated("payment.reference_conflict",
                $"Reference '{cmd.Reference}' was already used for a payment of {earlier.Amount}.", RefusalKind.Conflict);
        return earlier;
    }
}
