using Lending.Domain.Loans;
using Marten;

namespace Lending.Projections.Loans;

/// <summary>
/// The inline <see cref="LoanProjection"/> applies a save's new events to the loan it finds in the session's identity map
/// and reads only the loans it does not find there. Close of business and the generator already hold every loan they
/// append to, so they put them there first: a batch is read once, or (the generator, which folds in memory) not at all.
/// </summary>
public static class LoansForWriting
{
    /// <summary>Loads the loans a batch will append to, kept in the session's identity map for the save.</summary>
    public static async Task<IReadOnlyList<Loan>> LoadAsync(IDocumentSession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        session.UseIdentityMapFor<Loan>();
        return await session.LoadManyAsync<Loan>(ct, ids);
    }

    /// <summary>
    /// Puts loans folded in memory, each as its stream stands before this session's appends, in the session's identity
    /// map. Marten's public API puts a document there only by loading or storing it (which would write it twice), so
    /// this fills the session's item map the way its own <c>FetchForWriting</c> does.
    /// </summary>
    public static void Hold(IDocumentSession session, IEnumerable<Loan> loans)
    {
        session.UseIdentityMapFor<Loan>();
        var items = ((Marten.Internal.Sessions.QuerySession)session).ItemMap;
        if (!items.TryGetValue(typeof(Loan), out var held))
            items[typeof(Loan)] = held = new Dictionary<Guid, Loan>();
        var map = (Dictionary<Guid, Loan>)held;
        foreach (var loan in loans) map[loan.Id] = loan;
    }
}
