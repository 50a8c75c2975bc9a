using Lending.Projections.Loans;
using Marten;

namespace Lending.Api.Loans.Payments;

/// <summary>
/// A database whose payments were booked before the payment references were kept gets their rows once, at start, from
/// the event store (the table is empty only then: every payment since writes its row with its event).
/// </summary>
public sealed class PaymentReferenceBackfill(IDocumentStore store, PaymentReferences references, ILogger<PaymentReferenceBackfill> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.LightweightSession();
        if ((await session.QueryAsync<bool>($"select exists (select 1 from {references.Table})", ct)).Single()) return;
        session.QueueSqlCommand(references.Backfill);
        await session.SaveChangesAsync(ct);
        var rows = (await session.QueryAsync<long>($"select count(*) from {references.Table}", ct)).Single();
        if (rows > 0) log.LogInformation("Payment references written for {Payments} earlier payments", rows);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
