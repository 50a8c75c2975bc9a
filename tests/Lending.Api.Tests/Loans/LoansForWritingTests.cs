using Lending.Api.Tests.Infrastructure;
using Lending.Domain;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Projections.Loans;
using Marten;

namespace Lending.Api.Tests.Loans;

/// <summary>
/// Close of business and the generator already hold the loans they append to: the save writes the new events and the
/// folded document without reading the loan back, and the document is the one its stream makes.
/// </summary>
public class LoansForWritingTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateOnly AfterFirstDue = new(2026, 3, 10);

    [Fact]
    public async Task Loans_loaded_for_writing_are_read_once_and_saved_as_their_stream_makes_them()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();
        await using var session = App.Store.LightweightSession();
        var log = new RoundTripLog();
        session.Logger = log;

        var loan = Assert.Single(await LoansForWriting.LoadAsync(session, [id], default));
        await Close(session, loan);

        Assert.Equal(1, log.Selects("mt_doc_loan "));
        await AssertStoredAsFolded(id);
    }

    [Fact]
    public async Task Loans_held_in_memory_are_not_read_at_all()
    {
        await DefineCashProduct();
        var id = await DisburseLoan();
        Loan loan;
        await using (var read = App.Store.QuerySession())
            loan = (await read.LoadAsync<Loan>(id))!;
        await using var session = App.Store.LightweightSession();
        var log = new RoundTripLog();
        session.Logger = log;

        LoansForWriting.Hold(session, [loan]);
        await Close(session, loan);

        // Without the identity map for aggregates the projection would read through a path this log does not see.
        Assert.True(((Marten.DocumentStore)App.Store).Options.Events.UseIdentityMapForAggregates);
        Assert.Equal(0, log.Selects("mt_doc_loan "));
        await AssertStoredAsFolded(id);
    }

    private static async Task Close(IDocumentSession session, Loan loan)
    {
        var closed = CloseOfBusinessDay.Close(loan, AfterFirstDue, BucketPolicy.Default, EscalationLadder.Default, LendingPolicy.Default);
        Assert.NotEmpty(closed.Events);
        session.Events.Append(loan.Id, loan.Version + closed.Events.Count, [.. closed.Events]);
        await session.SaveChangesAsync();
    }

    private async Task AssertStoredAsFolded(Guid id)
    {
        await using var session = App.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        var folded = events.Aggregate((Loan?)null, (l, e) => Loan.Evolve(l, e.Data))!;
        var stored = (await session.LoadAsync<Loan>(id))!;
        Assert.Equal(events.Count, stored.Version);
        Assert.Equal((folded.Bucket, folded.Stage, folded.LastBusinessDate, folded.InterestChargedThrough, folded.PenaltyAccruedThrough),
            (stored.Bucket, stored.Stage, stored.LastBusinessDate, stored.InterestChargedThrough, stored.PenaltyAccruedThrough));
        Assert.Equal(folded.Installments.Select(i => (i.Number, i.TotalDue)), stored.Installments.Select(i => (i.Number, i.TotalDue)));
    }
}
