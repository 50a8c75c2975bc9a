using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Products;

namespace Lending.Domain.Loans.Payments;

/// <summary>
/// The allocation waterfall (DOMAIN.md): instalments due on or before the payment date oldest first, then the current
/// instalment once its period has begun (<see cref="LoanPosition.Billed"/>), each in the product's order (default penalty → fees → interest → principal). What is left prepays the
/// principal of later instalments, nearest first; an instalment whose principal is prepaid in full owes no interest.
/// Anything beyond the whole balance is an overpayment, to be refunded.
/// </summary>
public static class Waterfall
{
    public sealed record Result(IReadOnlyList<AllocationLine> Lines, decimal Overpayment);

    /// <param name="bookedOn">The business date the payment is booked on, when later than <paramref name="paidOn"/>: interest
    /// already owed then is never waived by the prepayment of a payment value-dated before its period began.</param>
    public static Result Allocate(Loan loan, decimal amount, DateOnly paidOn, DateOnly? bookedOn = null)
    {
        var remaining = amount;
        var paid = new Dictionary<int, Dictionary<Component, decimal>>();
        var waived = new Dictionary<int, decimal>();
        var schedule = loan.Schedule.Where(i => !i.IsSettled).ToList(); // by due date

        // What is owed on the payment date, oldest instalment first, each in the product's order. An instalment whose
        // period has not begun owes only what a restructure carried onto it (penalty, fees, interest already owed).
        foreach (var i in schedule)
        {
            var billed = i.IsBilledOn(paidOn);
            foreach (var component in loan.Terms.AllocationOrder)
            {
                var owed = component switch
                {
                    Component.Interest => i.InterestOwedOn(paidOn),
                    Component.Principal => billed ? i.PrincipalDue : 0m,
                    _ => i.Due(component),
                };
                Take(paid, i.Number, component, Math.Min(remaining, owed), ref remaining);
            }
        }

        // The rest prepays principal of later instalments, nearest first; one prepaid in full owes no more interest of
        // its own period (what was carried onto it was paid above, since money reached this far).
        foreach (var i in schedule.Where(i => !i.IsBilledOn(paidOn)))
        {
            if (remaining == 0m) break;
            var principal = Math.Min(remaining, i.PrincipalDue);
            Take(paid, i.Number, Component.Principal, principal, ref remaining);
            if (principal == i.PrincipalDue && !(bookedOn is { } booked && i.IsBilledOn(booked)))
                waived[i.Number] = i.InterestDue - i.CarriedInterestDue;
        }

        var lines = schedule.Select(i => Line(i.Number, paid.GetValueOrDefault(i.Number), waived.GetValueOrDefault(i.Number)))
            .Where(l => l.Total > 0m || l.InterestWaived > 0m).ToList();
        return new Result(lines, remaining);
    }

    private static void Take(Dictionary<int, Dictionary<Component, decimal>> paid, int number, Component component, decimal take,
        ref decimal remaining)
    {
        if (take <= 0m) return;
        var parts = paid.TryGetValue(number, out var p) ? p : paid[number] = [];
        parts[component] = parts.GetValueOrDefault(component) + take;
        remaining -= take;
    }

    private static AllocationLine Line(int number, Dictionary<Component, decimal>? paid, decimal interestWaived) =>
        new(number, paid?.GetValueOrDefault(Component.Penalty) ?? 0m, paid?.GetValueOrDefault(Component.Fees) ?? 0m,
            paid?.GetValueOrDefault(Component.Interest) ?? 0m, paid?.GetValueOrDefault(Component.Principal) ?? 0m, interestWaived);
}
