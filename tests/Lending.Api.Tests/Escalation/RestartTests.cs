using System.Text.Json;
using Alba;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Escalation;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestartCollection
{
    public const string Name = "restart";
}

/// <summary>
/// Exactly once across a stop: a node stopped in the middle of a close-of-business run, and another started on the same
/// database, must end with every accrual, stage and notice recorded once.
/// </summary>
[Collection(RestartCollection.Name)]
public class RestartTests() : OwnDatabaseTest("lending_restart")
{
    private static async Task<JsonElement> Json(IScenarioResult r) => JsonDocument.Parse(await r.ReadAsTextAsync()).RootElement;

    [Fact]
    public async Task A_run_stopped_half_way_and_finished_by_another_node_records_everything_once()
    {
        var first = await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 1);
        await As(first, "admin", s => s.Put.Json(new { name = "Cash", amortization = "annuity", installments = 12, annualRate = 0.12,
            currency = "CNY" }).ToUrl("/products/CASH"));
        var loans = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var id = Guid.NewGuid();
            loans.Add(id);
            await As(first, "supervisor", s =>
            {
                s.Post.Json(new { loanId = id, productCode = "CASH", principal = 12_000, currency = "CNY",
                    borrower = new { id = $"B{i}", name = "Borrower", phone = "1", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
                s.StatusCodeShouldBe(201);
            });
        }

        // 28 Feb is the due date; run through 10 Mar (DPD 10) one loan per batch, and stop the node part-way.
        var accepted = await Json(await As(first, "admin", s => { s.Post.Json(new { days = 38 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(202); }));
        var runId = accepted.GetProperty("runId").GetGuid();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Json(await As(first, "admin", s => s.Get.Url($"/cob/runs/{runId}")))).GetProperty("daysClosed").GetInt32() < 31)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not progress");
            await Task.Delay(20);
        }
        await first.StopAsync();
        await first.DisposeAsync();
        var stoppedAt = await DaysClosed(runId);
        Assert.InRange(stoppedAt, 31, 37); // really stopped in the middle

        await using var second = await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 1);
        deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement run;
        while ((run = await Json(await As(second, "admin", s => s.Get.Url($"/cob/runs/{runId}")))).GetProperty("status").GetString() == "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the run was not taken up again: {run}");
            await Task.Delay(50);
        }
        Assert.Equal("completed", run.GetProperty("status").GetString());
        await WaitForNotices(second, loans);

        await using var session = second.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var id in loans)
        {
            var events = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
            var accruals = events.OfType<PenaltyAccrued>().ToList();
            Assert.Equal(7, accruals.Count); // 4–10 Mar
            Assert.Equal(accruals.Count, accruals.Select(a => a.BusinessDate).Distinct().Count());
            Assert.Equal([EscalationStage.Reminder, EscalationStage.EarlyCollection], events.OfType<LoanEscalated>().Select(e => e.To));
            Assert.Single(events.OfType<NoticeSent>());
            Assert.Single(events.OfType<Lending.Domain.Collections.LoanAssigned>());
            Assert.Equal(7 * 0.31m, (await session.LoadAsync<Loan>(id))!.Installments[0].Penalty);
        }
    }

    /// <summary>Batches of four loans, each closed in parallel transactions (one a loan), on whichever node takes the message.</summary>
    [Fact]
    public async Task Two_nodes_on_one_database_close_each_date_once()
    {
        await using var a = await TestHosts.StartAsync(Database, Clock, Notices, solo: false, batchSize: 4);
        await using var b = await TestHosts.StartAsync(Database, Clock, Notices, solo: false, batchSize: 4);
        await As(a, "admin", s => s.Put.Json(new { name = "Cash", amortization = "annuity", installments = 12, annualRate = 0.12,
            currency = "CNY" }).ToUrl("/products/CASH"));
        var loans = new List<Guid>();
        foreach (var host in new[] { a, b, a, b, a, b, a, b, a, b })
        {
            var id = Guid.NewGuid();
            loans.Add(id);
            await As(host, "supervisor", s =>
            {
                s.Post.Json(new { loanId = id, productCode = "CASH", principal = 12_000, currency = "CNY",
                    borrower = new { id = "B", name = "Borrower", phone = "1", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
                s.StatusCodeShouldBe(201);
            });
        }

        var runId = (await Json(await As(a, "admin", s => { s.Post.Json(new { days = 38 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(202); })))
            .GetProperty("runId").GetGuid();
        // Both nodes ask to advance while the run is going: the calendar refuses the second run.
        await As(b, "admin", s => { s.Post.Json(new { days = 1 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(409); });

        var deadline = DateTime.UtcNow.AddSeconds(90);
        JsonElement run;
        while ((run = await Json(await As(b, "admin", s => s.Get.Url($"/cob/runs/{runId}")))).GetProperty("status").GetString() == "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"run not finished: {run}");
            await Task.Delay(50);
        }
        Assert.Equal(("completed", 38), (run.GetProperty("status").GetString(), run.GetProperty("daysClosed").GetInt32()));
        await WaitForNotices(b, loans);

        await using var session = a.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var id in loans)
        {
            var events = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
            Assert.Equal(7, events.OfType<PenaltyAccrued>().Select(e => e.BusinessDate).Distinct().Count());
            Assert.Equal(7, events.OfType<PenaltyAccrued>().Count());
            Assert.Equal(2, events.OfType<LoanEscalated>().Count());
            Assert.Single(events.OfType<NoticeSent>());
        }
    }

    private async Task<int> DaysClosed(Guid runId)
    {
        await using var store = DocumentStore.For(o => { o.Connection(Database); o.DatabaseSchemaName = MartenSetup.DocumentSchema; });
        await using var session = store.QuerySession();
        var json = await session.Json.FindByIdAsync<Lending.Domain.CloseOfBusiness.CobRun>(runId);
        return JsonDocument.Parse(json!).RootElement.GetProperty("daysClosed").GetInt32();
    }

    /// <summary>Escalation actions run after their date is closed; wait until each loan's notice is recorded.</summary>
    private static async Task WaitForNotices(IAlbaHost host, IReadOnlyList<Guid> loans)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var session = store.QuerySession();
            var loaded = await session.LoadManyAsync<Loan>(loans);
            var done = loaded.Count(l => l.CompletedActions.Count > 0 && l.AssignedTo is not null);
            if (done == loans.Count) return;
            Assert.True(DateTime.UtcNow < deadline, $"{done} of {loans.Count} loans have their notices");
            await Task.Delay(100);
        }
    }
}
