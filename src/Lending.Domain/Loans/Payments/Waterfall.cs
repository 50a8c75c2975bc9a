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

    public static Result Allocate(Loan loan, decimal amount, DateOnly paidOn)
    {
        var remaining = amount;
        var lines = new List<AllocationLine>();
        var billed = LoanPosition.Billed(loan, paidOn).Select(i => i.Number).ToHashSet();
        var order = loan.Terms.AllocationOrder;

        foreach (var i in loan.Installments.Where(i => billed.Contains(i.Number)))
        {
            if (remaining == 0m) break;
            var paid = new Dictionary<Component, decimal>();
            foreach (var component in order)
            {
                var take = Math.Min(remaining, i.Due(component));
                paid[component] = take;
                remaining -= take;
            }
            AddLine(lines, i.Number, paid, interestWaived: 0m);
        }

        foreach (var i in loan.Installments.Where(i => !billed.Contains(i.Number)))
        {
            if (remaining == 0m) break;
            var principal = Math.Min(remaining, i.PrincipalDue);
            remaining -= principal;
            var waived = principal == i.PrincipalDue ? i.InterestDue : 0m;
            AddLine(lines, i.Number, new Dictionary<Component, decimal> { [Component.Principal] = principal }, waived);
        }

        return new Result(lines, remaining);
    }

    private static void AddLine(List<AllocationLine> lines, int number, Dictionary<Component, decimal> paid, decimal interestWaived)
    {
        var line = new AllocationLine(number, paid.GetValueOrDefault(Component.Penalty), paid.GetValueOrDefault(Component.Fees),
            paid.GetValueOrDefault(Component.Interest), paid.GetValueOrDefault(Component.Principal), interestWaived);
        if (line.Total > 0m || interestWaived > 0m) lines.Add(line);
    }
}
