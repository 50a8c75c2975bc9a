using JasperFx.Events.Projections;
using Lending.Projections.Loans;
using Marten;

namespace Lending.Projections;

public static class ProjectionRegistration
{
    /// <summary>Registers every projection of the lending service with its lifecycle.</summary>
    public static StoreOptions AddLendingProjections(this StoreOptions options)
    {
        // Inline: the write model and read-your-writes views.
        options.Projections.Add<LoanProjection>(ProjectionLifecycle.Inline);
        return options;
    }
}
