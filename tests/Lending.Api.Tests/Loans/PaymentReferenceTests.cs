using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Loans.Payments;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Loans;
using Lending.Projections.Loans;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Loans;

/// <summary>A payment reference is used once per loan: the database holds that, whichever path books the payment.</summary>
public class PaymentReferenceTests(AppFixture app) : ApiTest(app)
{
    private PaymentReferences References => Host.Services.GetRequiredService<PaymentReferences>();

    private async Task<long> Rows(Guid loanId, string reference)
    {
        await using var session = App.Store.QuerySession();
        return (await session.QueryAsync<long>($"select count(*) from {References.Table} where loan_id = ? and reference = ?", loanId, reference))
            .Single();
    }

    private async Task<int> PaymentsUnder(Guid loanId, string reference)
    {
        await using var session = App.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(loanId)).Select(e => e.Data).OfType<PaymentReceived>().Count(p => p.Reference == reference);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_payment_book_it_once_and_every_later_retry_gets_the_original_answer()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => As(Roles.Supervisor, s =>
        {
            s.Post.Json(new { amount = 700m, reference = "bank-race" }).ToUrl($"/loans/{loanId}/payments");
            s.IgnoreStatusCode();
        })));

        var statuses = attempts.Select(a => a.Context.Response.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 201, 409 }));
        foreach (var lost in attempts.Where(a => a.Context.Response.StatusCode == 409)) await lost.ShouldBeProblem(409, "concurrency.conflict");
        Assert.Equal(1, await PaymentsUnder(loanId, "bank-race"));
        Assert.Equal(1, await Rows(loanId, "bank-race"));

        var original = await ReadJson(attempts.Single(a => a.Context.Response.StatusCode == 201));
        var retried = await ReadJson(await Pay(loanId, 700m, "bank-race", status: 200));
        Assert.Equal(original.GetRawText(), retried.GetRawText());
        Assert.Equal(11_420.00m, (await GetLoan(loanId)).GetProperty("principalOutstanding").GetDecimal()); // 580 principal, once
    }

    [Fact]
    public async Task A_used_reference_appended_past_the_decision_is_refused_by_the_database_and_nothing_is_written()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        var other = await DisburseLoan();
        await AdvanceDays(28);
        await Pay(loanId, 700m, "bank-once");
        await Pay(other, 700m, "bank-once"); // the same reference on another loan is another payment

        await using var session = App.Store.LightweightSession();
        var booked = (await session.Events.FetchStreamAsync(loanId)).Select(e => e.Data).OfType<PaymentReceived>().Single();
        var version = (await session.Events.FetchStreamStateAsync(loanId))!.Version;
        // Appended without an expected version, as a careless import would: no stream version stops it.
        session.Events.Append(loanId, booked with { RecordedAt = booked.RecordedAt.AddMinutes(1) });
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        Assert.Contains(PaymentReferences.ConstraintName, refused.ToString());

        await using var check = App.Store.QuerySession();
        Assert.Equal(version, (await check.Events.FetchStreamStateAsync(loanId))!.Version);
        Assert.Equal(1, await PaymentsUnder(loanId, "bank-once"));
        Assert.Equal(1, await Rows(loanId, "bank-once"));
        Assert.Equal(1, await Rows(other, "bank-once"));
    }

    [Fact]
    public async Task Payments_booked_before_the_references_were_kept_are_answered_from_their_stream_then_get_their_rows()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28);
        var original = await ReadJson(await Pay(loanId, 700m, "bank-old"));
        await using (var session = App.Store.LightweightSession())
        {
            // As a database written before: no rows, and no backfill done yet.
            session.QueueSqlCommand($"truncate {References.Table}");
            session.Delete<PaymentReferenceBackfillProgress>("payment-references");
            await session.SaveChangesAsync();
        }

        Assert.Equal(original.GetRawText(), (await ReadJson(await Pay(loanId, 700m, "bank-old", status: 200))).GetRawText());

        await ActivatorUtilities.CreateInstance<PaymentReferenceBackfill>(Host.Services).RunAsync(default);

        Assert.Equal(1, await Rows(loanId, "bank-old"));
        Assert.Equal(original.GetRawText(), (await ReadJson(await Pay(loanId, 700m, "bank-old", status: 200))).GetRawText());
        // Done once: a second run finds nothing left to do.
        await using (var session = App.Store.QuerySession())
        {
            var progress = await session.LoadAsync<PaymentReferenceBackfillProgress>("payment-references");
            Assert.Equal(progress!.Until, progress.Through);
        }
    }
}
