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
    // A loan's evidence-access stream holds only pulls: it is not a loan and has no document.
    public override Loan? Evolve(Loan? snapshot, Guid id, IEvent e) =>
        e.Data is Lending.Domain.Litigation.EvidenceBundlePulled ? snapshot : Loan.Evolve(snapshot, e.Data);
}
