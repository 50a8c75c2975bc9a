using System.Text.Json;
using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;
using Lending.Domain.Loans;

namespace Lending.Api.Tests.Loans;

/// <summary>What the store keeps of a loan: its state, not the values derived from it.</summary>
public class LoanDocumentTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task A_loan_document_holds_state_only_and_reads_back_the_same_loan()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(150);
        for (var i = 1; i <= 5; i++) await Pay(loanId, 500m, $"P-{i}");

        await using var session = App.Store.QuerySession();
        var json = (await session.QueryAsync<string>("select data::text from lending.mt_doc_loan where id = ?", loanId)).Single();
        using var doc = JsonDocument.Parse(json);
        Console.WriteLine($"loan document: {json.Length} characters");
        foreach (var derived in new[] { "schedule", "isClosed", "isPaused", "assignedTo", "oldestUnpaidDueDate", "closeOfBusinessDueDate",
                     "nextPeriodStart", "principalOutstanding" })
            Assert.False(doc.RootElement.TryGetProperty(derived, out _), $"{derived} is derived, not stored");
        var instalment = doc.RootElement.GetProperty("installments")[0];
        foreach (var derived in new[] { "principalDue", "interestDue", "totalDue", "isSettled", "contractualDue" })
            Assert.False(instalment.TryGetProperty(derived, out _), $"installments[].{derived} is derived, not stored");

        // Loaded back, the loan is the one its events make.
        var stored = await session.LoadAsync<Loan>(loanId);
        var folded = (await session.Events.FetchStreamAsync(loanId)).Select(e => e.Data).Aggregate((Loan?)null, Loan.Evolve)!;
        Assert.Equal(folded.Installments, stored!.Installments);
        Assert.Equal((folded.Status, folded.Bucket, folded.PrincipalOutstanding, folded.CloseOfBusinessDueDate, folded.Payments.Count),
            (stored.Status, stored.Bucket, stored.PrincipalOutstanding, stored.CloseOfBusinessDueDate, stored.Payments.Count));
        var loan = await GetLoan(loanId);
        Assert.Equal(folded.PrincipalOutstanding, loan.GetProperty("principalOutstanding").GetDecimal());

        // 12 instalments, 5 payments and 150 days of collections: 8.2 KB of state (17.6 KB with the derived values).
        Assert.True(json.Length < 9_000, $"{json.Length} characters");
    }
}
