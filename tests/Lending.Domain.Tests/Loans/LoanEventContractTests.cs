using Lending.Domain.Loans;

namespace Lending.Domain.Tests.Loans;

/// <summary>
/// Time travel folds a loan's events up to a business date and stops at the first event that does not carry one, so
/// every event of a loan stream must be an <see cref="ILoanEvent"/>.
/// </summary>
public class LoanEventContractTests
{
    public static IEnumerable<object[]> LoanStreamEvents() =>
        typeof(ILoanEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetProperty("LoanId")?.PropertyType == typeof(Guid)
                        && t.GetProperty("BusinessDate") is not null
                        // Kept in the loan's evidence-access stream, never on the loan's own.
                        && t != typeof(Lending.Domain.Litigation.EvidenceBundlePulled))
            .Select(t => new object[] { t.Name });

    [Theory]
    [MemberData(nameof(LoanStreamEvents))]
    public void Every_loan_event_carries_its_business_date(string eventType)
    {
        var type = typeof(ILoanEvent).Assembly.GetTypes().Single(t => t.Name == eventType);
        Assert.True(typeof(ILoanEvent).IsAssignableFrom(type), $"{eventType} is not an ILoanEvent");
        Assert.True(type.IsSealed, $"{eventType} should be sealed");
    }

    [Fact]
    public void Events_are_named_in_the_past_tense_and_there_are_many_of_them()
    {
        var events = LoanStreamEvents().Select(e => (string)e[0]).ToList();
        Assert.True(events.Count >= 30, $"only {events.Count} loan events found");
        Assert.All(events, name => Assert.Matches("(ed|en|wn|Held|Set|Kept|Sent|Made|Off)$", name));
    }
}

public class LegacyLoanDocumentTests
{
    [Fact]
    public void A_loan_document_stored_before_period_starts_gets_them_on_load()
    {
        var loan = LoanBuilder.Disbursed().CloseThrough(new DateOnly(2026, 2, 1)).Loan;
        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(loan))!;
        foreach (var i in json["Installments"]!.AsArray()) i!.AsObject().Remove("PeriodStart");

        var stored = System.Text.Json.JsonSerializer.Deserialize<Loan>(json)!;

        Assert.Equal(loan.Installments.Select(i => i.PeriodStart), stored.Installments.Select(i => i.PeriodStart));
        Assert.Equal(120m, Lending.Domain.Loans.Delinquency.LoanPosition.Of(stored, new DateOnly(2026, 2, 1)).InterestOutstanding);
    }
}
