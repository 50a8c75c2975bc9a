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
       
        foreach (var derived in new[] { "schedule", "isClosed", "isPaused", "assignedTo", "oldestUnpaidDueDate", "closeOfBusinessDueDate",
                     "nextPeriodStart", "principalOutstanding" })
            Assert.False(doc.RootElement.TryGetProperty(derived, out _), $"{derived} is derived, not stored");
        // Ledger rows are the constructor's arguments in order: no derived amounts (an instalment has 16 at most).
        var instalment = doc.RootElement.GetProperty("installments")[0];
        Assert.Equal(JsonValueKind.Array, instalment.ValueKind);
        Assert.Equal((1, "2026-02-28", 946.19m, 120m, "2026-01-31"), (instalment[0].GetInt32(), instalment[1].GetString(),
            instalment[2].GetDecimal(), instalment[3].GetDecimal(), instalment[4].GetString()));

        // Loaded back, the loan is the one its events make.
        var stored = await session.LoadAsync<Loan>(loanId);
        var folded = (await session.Events.FetchStreamAsync(loanId)).Select(e => e.Data).Aggregate((Loan?)null, Loan.Evolve)!;
        Assert.Equal(folded.Installments, stored!.Installments);
        Assert.Equal((folded.Status, folded.Bucket, folded.PrincipalOutstanding, folded.CloseOfBusinessDueDate, folded.Payments.Count),
            (stored.Status, stored.Bucket, stored.PrincipalOutstanding, stored.CloseOfBusinessDueDate, stored.Payments.Count));
        var loan = await GetLoan(loanId);
        Assert.Equal(folded.PrincipalOutstanding, loan.GetProperty("principalOutstanding").GetDecimal());

        // 12 instalments, 5 payments and 150 days of collections: 2.6 KB (8.2 KB with every payment event and named
        // ledger members, 17.6 KB with the derived values too).
        Assert.True(json.Length < 3_000, $"{json.Length} characters");
    }

    [Fact]
    public async Task A_twelve_instalment_loan_with_five_payments_stores_under_two_kilobytes()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        var months = new[] { 28, 31, 30, 31, 30 }; // to each due date from 31 January
        for (var i = 0; i < months.Length; i++)
        {
            await AdvanceDays(months[i]);
            await Pay(loanId, 1_066.19m, $"INST-{i + 1}");
        }

        await using var session = App.Store.QuerySession();
        var json = (await session.QueryAsync<string>("select data::text from lending.mt_doc_loan where id = ?", loanId)).Single();
        var binary = (await session.QueryAsync<int>("select pg_column_size(data) from lending.mt_doc_loan where id = ?", loanId)).Single();
        var stored = await session.LoadAsync<Loan>(loanId);
        Assert.Equal(5, stored!.Payments.Count);
        Assert.Equal(7, stored.Schedule.Count(i => i.PrincipalDue > 0m));
        var bytes = System.Text.Encoding.UTF8.GetByteCount(json);
        // The JSON as PostgreSQL prints it (with its spaces), and as it keeps it.
        Assert.True(bytes < 2_048, $"{bytes} bytes: {json}");
        Assert.True(binary < 2_048, $"{binary} bytes stored");
    }

    [Fact]
    public void A_loan_document_stored_before_reads_with_its_payments_in_booking_order_as_they_stand_allocated()
    {
        // Named ledger members, every payment event keyed by reference, re-allocations beside them.
        const string stored = """
            {"id":"0b9f3f0e-8c1a-4a51-9d0b-6c7e8d9f0a1b","status":"Active","productCode":"CASH-12M",
             "terms":{"annualRate":0.12,"rateCap":0.24,"currency":"CNY","installments":2,"frequency":"Monthly","amortization":"Annuity"},
             "borrower":{"id":"B-1","name":"Wang Fang","timeZone":"Asia/Shanghai"},"principal":1000,"currency":"CNY",
             "disbursedOn":"2026-01-31","installments":[
               {"number":1,"dueDate":"2026-02-28","principal":495,"interest":10,"principalPaid":495,"interestPaid":10,"periodStart":"2026-01-31","replaced":false,"penaltyCarry":0,"interestWaived":0.00},
               {"number":2,"dueDate":"2026-03-31","principal":505,"interest":5,"principalPaid":105,"periodStart":"2026-02-28"}],
             "bucket":"current","stage":"None","collections":{},"pauses":[],"completedActions":[],"restructuring":{},
             "overpaid":0,"lastBusinessDate":"2026-03-05","version":5,
             "payments":{
               "backdated":{"loanId":"0b9f3f0e-8c1a-4a51-9d0b-6c7e8d9f0a1b","reference":"backdated","amount":5,"paidOn":"2026-02-27",
                       "lines":[{"installment":2,"penalty":0,"fees":0,"interest":0,"principal":5,"interestWaived":0}],"overpayment":0,
                       "recordedBy":"s","recordedAt":"2026-03-06T09:00:00+00:00","businessDate":"2026-03-06"},
               "late":{"loanId":"0b9f3f0e-8c1a-4a51-9d0b-6c7e8d9f0a1b","reference":"late","amount":100,"paidOn":"2026-03-01",
                       "lines":[{"installment":2,"penalty":0,"fees":0,"interest":0,"principal":100,"interestWaived":0}],"overpayment":0,
                       "recordedBy":"s","recordedAt":"2026-03-05T09:00:00+00:00","businessDate":"2026-03-05"},
               "first-one":{"loanId":"0b9f3f0e-8c1a-4a51-9d0b-6c7e8d9f0a1b","reference":"first-one","amount":505,"paidOn":"2026-02-28",
                       "lines":[{"installment":1,"penalty":0,"fees":0,"interest":10,"principal":400,"interestWaived":0}],"overpayment":0,
                       "recordedBy":"s","recordedAt":"2026-02-28T09:00:00+00:00","businessDate":"2026-02-28"}},
             "reallocated":{"first-one":{"reference":"first-one","lines":[{"installment":1,"penalty":0,"fees":0,"interest":10,"principal":495,"interestWaived":0}],"overpayment":0}}}
            """;
        var serializer = App.Store.Options.Serializer();
        var loan = serializer.FromJson<Loan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored)));

        Assert.Equal(["first-one", "late", "backdated"], loan.Payments.Select(p => p.Reference)); // booking order, not value dates
        Assert.Equal(495m, loan.Payment("first-one")!.Principal); // as re-allocated, not as first booked
        Assert.Equal(400m, loan.PrincipalOutstanding);
        Assert.Equal(new DateOnly(2026, 2, 28), loan.Installments[1].PeriodStart);

        // Written again, it is the compact form, and reads back the same.
        var compact = serializer.ToJson(loan);
        var again = serializer.FromJson<Loan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(compact)));
        Assert.Equal(loan.Installments, again.Installments);
        Assert.Equal("0.00", again.Installments[0].InterestWaived.ToString(System.Globalization.CultureInfo.InvariantCulture)); // as booked
        Assert.Equal(loan.Payments.Select(p => (p.Reference, p.PaidOn, p.Amount, p.Overpayment, string.Join(",", p.Lines))),
            again.Payments.Select(p => (p.Reference, p.PaidOn, p.Amount, p.Overpayment, string.Join(",", p.Lines))));
        Assert.Contains("""["first-one","2026-02-28",505,[[1,495,10]]]""", compact);
    }

    [Fact]
    public void The_stored_form_of_a_loan_is_a_format_that_reads_the_same_from_one_version_to_the_next()
    {
        // Written by this version; a later one must read it as this one does (a new member goes at the end of its row).
        const string stored = """
            {"id":"0b9f3f0e-8c1a-4a51-9d0b-6c7e8d9f0a1b","status":"Overdue","productCode":"CASH-12M",
             "terms":{"annualRate":0.12,"rateCap":0.24,"currency":"CNY","installments":2,"frequency":"Monthly"},
             "borrower":{"id":"B-1","name":"Wang Fang","timeZone":"Asia/Shanghai"},"principal":1000,"currency":"CNY",
             "disbursedOn":"2026-01-31","bucket":"M1","stage":"None","collections":{},"completedActions":[],"restructuring":{},
             "overpaid":0,"lastBusinessDate":"2026-03-10","interestChargedThrough":2,
             "installments":[[1,"2026-02-28",495,10,"2026-01-31",495,10,1.25,1.25,0.875,15,15,true,0.00,2,false],
                             [2,"2026-03-31",505,5,"2026-02-28"]],
             "payments":[["P-1","2026-03-05",526.25,[[1,495,10,1.25,15,0.00]],0.50]],
             "pauses":[["2026-03-01","2026-03-03"],["2026-03-08"]]}
            """;
        var loan = App.Store.Options.Serializer().FromJson<Loan>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored)));

        Assert.Equal(new Lending.Domain.Loans.Ledger.Installment(1, new DateOnly(2026, 2, 28), 495m, 10m, Penalty: 1.25m, Fees: 15m,
            PrincipalPaid: 495m, InterestPaid: 10m, PenaltyPaid: 1.25m, FeesPaid: 15m, InterestWaived: 0m, LateFeeCharged: true,
            PeriodStart: new DateOnly(2026, 1, 31), InterestCarried: 2m, Replaced: false, PenaltyCarry: 0.875m), loan.Installments[0]);
        Assert.Equal((505m, 5m, 0m, new DateOnly(2026, 2, 28)), (loan.Installments[1].Principal, loan.Installments[1].Interest,
            loan.Installments[1].PrincipalPaid, loan.Installments[1].PeriodStart));
        var payment = Assert.Single(loan.Payments);
        Assert.Equal(("P-1", new DateOnly(2026, 3, 5), 526.25m, 0.50m), (payment.Reference, payment.PaidOn, payment.Amount, payment.Overpayment));
        Assert.Equal(new AllocationLine(1, Penalty: 1.25m, Fees: 15m, Interest: 10m, Principal: 495m, InterestWaived: 0m), Assert.Single(payment.Lines));
        Assert.Equal([new PauseInterval(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3)), new PauseInterval(new DateOnly(2026, 3, 8), null)],
            loan.Pauses);
        Assert.True(loan.IsPaused);
    }

    [Fact]
    public async Task The_loan_table_has_only_the_indexes_queries_use_and_room_on_each_page_for_updates()
    {
        await using var session = App.Store.QuerySession();
        var indexes = await session.QueryAsync<string>(
            "select indexname from pg_indexes where schemaname = 'lending' and tablename = 'mt_doc_loan' order by indexname");
        Assert.Equal(2, indexes.Count); // the key, and close of business's (date, id)
        Assert.Contains(indexes, i => i.Contains("close_of_business_due_date"));
        foreach (var table in new[] { "mt_doc_loan", "mt_doc_loananalytics", "work_queue" })
        {
            var options = await session.QueryAsync<string>(
                "select coalesce(array_to_string(c.reloptions, ','), '') from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
                "where n.nspname = 'lending' and c.relname = ?", table);
            Assert.Equal("fillfactor=80", Assert.Single(options));
        }
    }
}
