using JasperFx.Events;
using Lending.Domain.Loans;
using Marten.Events.Aggregation;

namespace Lending.Projections.Loans;

/// <summary>
/// The loan document read by <c>GET /loans/{id}</c>, kept inline so a command's answer reads its own writes.
/// Delegates to the domain's <see cref="Loan.Evolve"/>, keeping the domain free of Marten.
/// </summary>
public partial class LoanProjection : SingleStreamProjection<Loan, Guid>
{
    public override Loan Evolve(Loan? snapshot, Guid id, IEvent e) => Loan.Evolve(snapshot, e.Data);
}
