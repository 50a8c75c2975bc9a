using Alba;
using Lending.Api.Analytics;
using Lending.Api.Setup;
using Lending.Api.Tests.Escalation;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Analytics;

/// <summary>
/// A rebuild that fails on the way (its folds run on every core) reports the failure that stopped it, not the
/// cancellation of the rest, and leaves the figures empty for the daemon to rebuild, never half built.
/// </summary>
[Collection(RestartCollection.Name)]
public class AnalyticsRebuildFailureTests() : OwnDatabaseTest("lending_rebuild")
{
    [Fact]
    public async Task A_loan_stream_the_fold_cannot_read_fails_the_rebuild_with_its_own_error_and_leaves_the_figures_empty()
    {
        await using var host = await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 10);
        await As(host, "admin", s => s.Put.Json(new { name = "Cash", amortization = "annuity", installments = 12, annualRate = 0.12,
            currency = "CNY" }).ToUrl("/products/CASH"));
        for (var i = 0; i < 12; i++)
            await As(host, "supervisor", s =>
            {
                s.Post.Json(new { productCode = "CASH", principal = 12_000, currency = "CNY",
                    borrower = new { id = $"B{i}", name = "Borrower", phone = "1", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
                s.StatusCodeShouldBe(201);
            });
        // No daemon projecting, as for `./lending rebuild-analytics`; then streams no loan's fold can start from, written
        // behind the store's back (its inline projection refuses them), among which the other folds and writes are busy.
        await host.Services.GetRequiredService<IProjectionCoordinator>().PauseAsync();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        for (var i = 0; i < 12; i++) await AppendBehindTheStoresBack(store, new LoanCured(Guid.NewGuid(), EscalationStage.Reminder, new DateOnly(2026, 1, 31)));

        var rebuild = host.Services.GetRequiredService<AnalyticsRebuild>();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => rebuild.RunAsync(CancellationToken.None, flushEvery: 2));

        Assert.Contains("starts with LoanCured", failure.Message);
        await using var query = store.QuerySession();
        Assert.Equal(0, (await query.QueryAsync<long>(
            "select (select count(*) from lending.mt_doc_loananalytics) + (select count(*) from lending.analytics_delinquency_history)")).Single());
        Assert.Equal(0, (await query.QueryAsync<long>(
            $"select last_seq_id from {MartenSetup.EventSchema}.mt_event_progression where name = ?", AnalyticsRebuild.Shard)).Single());
    }

    private static async Task AppendBehindTheStoresBack(IDocumentStore store, LoanCured e)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"insert into {MartenSetup.EventSchema}.mt_streams (id, type, version) values (?, 'loan', 1)", e.LoanId);
        session.QueueSqlCommand($"""
            insert into {MartenSetup.EventSchema}.mt_events (seq_id, id, stream_id, version, data, type, mt_dotnet_type)
            values (nextval('{MartenSetup.EventSchema}.mt_events_sequence'), gen_random_uuid(), ?, 1, ?::jsonb, 'loan_cured', ?)
            """, e.LoanId, store.Options.Serializer().ToJson(e), $"{typeof(LoanCured).FullName}, {typeof(LoanCured).Assembly.GetName().Name}");
        await session.SaveChangesAsync();
    }

}
