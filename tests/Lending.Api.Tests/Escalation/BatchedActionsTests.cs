using System.Text.Json;
using Alba;
using Lending.Api.Escalation;
using Lending.Api.Setup;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace Lending.Api.Tests.Escalation;

/// <summary>
/// A close-of-business part sends the stage actions it decided as one durable message; each action in it is sent on,
/// and carried out, once. Its own host: batches of eight loans in two parts of four.
/// </summary>
[Collection(RestartCollection.Name)]
public class BatchedActionsTests() : OwnDatabaseTest("lending_batched")
{
    private static async Task<JsonElement> Json(IScenarioResult r) => JsonDocument.Parse(await r.ReadAsTextAsync()).RootElement;

    [Fact]
    public async Task A_parts_stage_actions_leave_as_one_message_and_each_is_carried_out_once()
    {
        await using var host = await TestHosts.StartAsync(Database, Clock, Notices, solo: true, batchSize: 8,
            new Dictionary<string, string> { ["Lending:CloseOfBusiness:Parallelism"] = "2" });
        await As(host, "admin", s => s.Put.Json(new { name = "Cash", amortization = "annuity", installments = 12, annualRate = 0.12,
            currency = "CNY" }).ToUrl("/products/CASH"));
        var loans = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var id = Guid.NewGuid();
            loans.Add(id);
            await As(host, "supervisor", s =>
            {
                s.Post.Json(new { loanId = id, productCode = "CASH", principal = 12_000, currency = "CNY",
                    borrower = new { id = $"B{i}", name = "Borrower", phone = "1", timeZone = "Asia/Shanghai" } }).ToUrl("/loans");
                s.StatusCodeShouldBe(201);
            });
        }

        // 31 Jan → 1 Mar: every loan is one day past its first due date (28 Feb) and enters the reminder stage.
        Guid runId = default;
        var tracked = await host.TrackActivity().Timeout(TimeSpan.FromSeconds(120)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            runId = (await Json(await As(host, "admin", s => { s.Post.Json(new { days = 29 }).ToUrl("/business-date/advance"); s.StatusCodeShouldBe(202); })))
                .GetProperty("runId").GetGuid()));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Json(await As(host, "admin", s => s.Get.Url($"/cob/runs/{runId}")))).GetProperty("status").GetString() == "running")
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not finish");
            await Task.Delay(50);
        }

        // Two parts of four loans: each part's transaction sends one message with its four actions; each batch is then split
        // into one message per action, each sent once.
        var batches = tracked.Sent.MessagesOf<CarryOutEscalations>().ToList();
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(4, b.Actions.Count));
        Assert.Equal(loans.Order(), batches.SelectMany(b => b.Actions).Select(a => a.LoanId).Order());
        Assert.All(batches.SelectMany(b => b.Actions), a => Assert.Equal(EscalationAction.ReminderNotice, a.Action));
        Assert.Equal(batches.SelectMany(b => b.Actions).OrderBy(a => a.LoanId), tracked.Sent.MessagesOf<CarryOutEscalation>().OrderBy(a => a.LoanId));

        // The split is one Marten transaction: the actions' messages are stored with the batch marked handled, or not at all.
        var split = ((Wolverine.Runtime.WolverineRuntime)host.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).Handlers
            .ChainFor(typeof(CarryOutEscalations));
        Assert.True(split is { IsTransactional: true }, "the split of a batch must be transactional");

        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var id in loans)
        {
            var events = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
            var sent = Assert.Single(events.OfType<NoticeSent>());
            Assert.Equal(NoticeKind.Reminder, sent.Kind);
            Assert.Equal("file", sent.Delivery);
        }
    }
}
