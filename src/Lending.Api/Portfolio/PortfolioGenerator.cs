using Lending.Api.BusinessDates;
using Lending.Api.Setup;
using Lending.Domain;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Delinquency;
using Lending.Domain.Loans.Disbursement;
using Lending.Domain.Loans.Payments;
using Lending.Domain.Products;
using Lending.Domain.Restructuring;
using Lending.Projections.Loans;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.Portfolio;

/// <param name="Loans">Loans to book, disbursed evenly over the period.</param>
/// <param name="Months">Months of business dates, ending on today's business date.</param>
/// <param name="BatchSize">Loan streams appended per transaction.</param>
/// <param name="Parallelism">Transactions of one business date committed at once.</param>
/// <param name="PeopleAct">When false, only borrowers act (they pay or not, by profile): no collector calls, restructures,
/// queue sharing or write-off approvals. The book is then what the service's close of business and ladder alone make of
/// the payments, which a test replays through the API.</param>
public sealed record GeneratorOptions(int Loans, int Months, int Seed, int BatchSize = 500, int Parallelism = 4, bool PeopleAct = true);

/// <summary>Where a generator run stands after a business date.</summary>
/// <param name="DecideSeconds">Time this run spent in the domain (decisions and folding events).</param>
/// <param name="SaveSeconds">Time this run spent appending to Marten and committing.</param>
public sealed record GeneratorProgress(DateOnly Date, int DaysDone, int Days, int LoansBooked, long EventsAppended, long EventsThisRun,
    double DecideSeconds = 0, double SaveSeconds = 0);

/// <summary>A generator run's parameters and how far it got: a run interrupted resumes after the last date committed.</summary>
public sealed class GeneratorRun
{
    public const string DocumentId = "portfolio-generator";
    public string Id { get; set; } = DocumentId;
    public int Loans { get; set; }
    public int Months { get; set; }
    public int Seed { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public DateOnly? CompletedThrough { get; set; }
    public long EventsAppended { get; set; }
    public bool IsComplete => CompletedThrough == End;
}

/// <summary>
/// Generates a realistic portfolio through the real domain: every loan is booked by the disbursement decision and
/// lives its life date by date through the service's own close of business (<see cref="CloseOfBusinessDay"/>, with each
/// product's ladder), the escalation ladder's actions, payments, collectors' contacts and promises, restructures and
/// write-offs, each by the decision the API or a handler would use. Loans
/// behave by a profile drawn from the seed (most pay on time; some pay late and cure, promise and break, are
/// restructured, default, or prepay). Everything drawn is a pure function of (seed, loan, date), and event times are
/// taken from the simulated date, so a seed always gives the same events, and an interrupted run resumes after its
/// last committed date without duplicating anything. Events are appended date by date, in business-date order, as the
/// service itself would have written them, in batches of streams per transaction.
/// </summary>
public sealed class PortfolioGenerator(IDocumentStore store, BusinessCalendarStore calendars, BucketPolicy buckets, EscalationLadder ladder,
    ConductPolicy conduct, LendingPolicy policy, NoticeTemplates templates, IOptions<LendingOptions> options, ILogger<PortfolioGenerator> logger)
{
    public const string Collector = "gen-collector";
    public const string Supervisor = "gen-supervisor";
    public const string Checker = "gen-checker";
    public static readonly string[] Collectors = ["agent-7", "agent-8", "agent-9", "agent-10"];

    public static readonly DefineProduct[] Catalogue =
    [
        new("CASH-12M", "Cash loan, 12 monthly instalments", Amortization.Annuity, 12, PaymentFrequency.Monthly, null,
            0.18m, DayCount.Act365, 3, 1.5m, 0m, 0.24m, ConductProfile.CnNifa, "CNY"),
        new("EP-6M", "Consumer loan, equal principal over 6 months", Amortization.EqualPrincipal, 6, PaymentFrequency.Monthly, null,
            0.15m, DayCount.Act365, 3, 1.5m, 20m, 0.24m, ConductProfile.CnNifa, "CNY"),
        new("WEEKLY-12", "Micro-loan, 12 weekly instalments", Amortization.Annuity, 12, PaymentFrequency.Weekly, null,
            0.20m, DayCount.Act365, 2, 1.5m, 5m, 0.24m, ConductProfile.CnNifa, "CNY"),
        // A month-long loan climbs its own, shorter ladder.
        new("PAYDAY-30", "30-day online loan", Amortization.Bullet, null, null, 30,
            0.24m, DayCount.Act360, 3, 1.5m, 0m, 0.36m, ConductProfile.UsRegF, "USD", Ladder: new EscalationLadder([
                new(EscalationStage.Reminder, EscalationAction.ReminderNotice, MinDpd: 1),
                new(EscalationStage.EarlyCollection, EscalationAction.AssignCollectorQueue, AfterGrace: true),
                new(EscalationStage.LateCollection, EscalationAction.AssignSeniorQueue, MinDpd: 15, MinBrokenPromises: 2),
                new(EscalationStage.Demand, EscalationAction.DemandLetter, MinDpd: 30),
                new(EscalationStage.LegalReview, EscalationAction.LegalReferral, MinDpd: 60, OnPlanBreach: true),
                new(EscalationStage.WriteOff, EscalationAction.WriteOffProposal, MinDpd: 120),
            ])),
    ];

    private static readonly (string Region, string Branch, string TimeZone)[] Places =
    [
        ("East", "Shanghai-01", "Asia/Shanghai"), ("East", "Shanghai-02", "Asia/Shanghai"), ("East", "Hangzhou-01", "Asia/Shanghai"),
        ("North", "Beijing-01", "Asia/Shanghai"), ("North", "Tianjin-01", "Asia/Shanghai"), ("South", "Shenzhen-01", "Asia/Shanghai"),
        ("South", "Guangzhou-01", "Asia/Shanghai"), ("West", "Chengdu-01", "Asia/Shanghai"),
    ];

    private static readonly (string Region, string Branch, string TimeZone)[] UsPlaces =
    [
        ("US-West", "Oakland-01", "America/Los_Angeles"), ("US-East", "Newark-01", "America/New_York"),
    ];

    private static readonly string[] Surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"];
    private static readonly string[] Given = ["Wei", "Fang", "Min", "Jing", "Lei", "Na", "Qiang", "Yan", "Jun", "Hui"];
    private static readonly string[] UsNames = ["Maria Garcia", "James Smith", "Linh Nguyen", "Chidi Okafor", "Ana Lopez", "John Brown"];

    /// <summary>How a borrower behaves, drawn once per loan.</summary>
    public enum Profile { OnTime, LateCurer, PromiseBreaker, Restructured, Defaulter, Prepayer }

    public async Task<GeneratorRun> RunAsync(GeneratorOptions o, IProgress<GeneratorProgress>? progress, CancellationToken ct)
    {
        await using var setup = store.LightweightSession();
        var run = await setup.LoadAsync<GeneratorRun>(GeneratorRun.DocumentId, ct);
        var today = await calendars.TodayAsync(setup, ct);
        if (run is not null && (run.Loans, run.Months, run.Seed) != (o.Loans, o.Months, o.Seed))
            throw new InvalidOperationException(
                $"This database holds a portfolio generated with {run.Loans} loans, {run.Months} months, seed {run.Seed}: use a fresh database.");
        if (run is null && await setup.Query<Loan>().AnyAsync(ct))
            throw new InvalidOperationException("This database already has loans: the generator fills a fresh database.");
        if (run is { IsComplete: true }) return run;

        var products = await EnsureProducts(setup, ct);
        run ??= new GeneratorRun { Loans = o.Loans, Months = o.Months, Seed = o.Seed, Start = today.AddMonths(-o.Months), End = today };
        setup.Store(run);
        await setup.SaveChangesAsync(ct);

        var plan = new LoanPlan(o.Seed, o.Loans, run.Start, run.End);
        var active = await Resume(run, plan, ct);
        var days = run.End.DayNumber - run.Start.DayNumber + 1;
        var booked = plan.BookedThrough(run.CompletedThrough);
        long thisRun = 0;
        var (deciding, saving) = (new System.Diagnostics.Stopwatch(), new System.Diagnostics.Stopwatch());

        for (var date = run.CompletedThrough?.AddDays(1) ?? run.Start; date <= run.End; date = date.AddDays(1))
        {
            ct.ThrowIfCancellationRequested();
            var now = new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 0)), TimeSpan.Zero);
            // Each loan's write names the version its stream stands at (0 for a loan booked today), so its events get their
            // versions and the stored loan the version later commands check against.
            var batch = new List<LoanWrite>();
            var appended = 0L;
            deciding.Start();

            foreach (var index in plan.DisbursedOn(date))
            {
                var id = plan.LoanId(index);
                if (active.ContainsKey(id)) continue; // booked before an interruption
                var events = Book(plan, index, products, date, now);
                var loan = Evolve(null, events)!;
                active[id] = new LiveLoan(index, loan) { Version = events.Count };
                batch.Add(new LoanWrite(null, events, loan));
                booked++;
            }

            foreach (var live in active.Values.Where(l => l.WakeOn <= date && l.Loan.LastBusinessDate < date).ToList())
            {
                var before = live.Loan;
                var events = Live(live, plan, products, o.PeopleAct, date, now);
                live.WakeOn = NextWake(live, plan, date);
                if (events.Count > 0) batch.Add(new LoanWrite(before with { Version = live.Version }, events, live.Loan));
                live.Version += events.Count;
                if (live.Loan.IsClosed) active.Remove(live.Loan.Id);
            }

            deciding.Stop();
            saving.Start();
            // The date's batches are independent streams: saved in parallel, so Marten's serialising and PostgreSQL's
            // inserts overlap. The run document moves on only once the whole date is committed.
            await Parallel.ForEachAsync(batch.Chunk(o.BatchSize), new ParallelOptions { MaxDegreeOfParallelism = o.Parallelism, CancellationToken = ct },
                async (chunk, token) =>
                {
                    // The chunk's loans as close of business writes its parts: one version-checked append, one write per table.
                    await using var session = store.LightweightSession();
                    session.QueueOperation(MartenSetup.WriteLoans(chunk, policy.WorkQueue));
                    await session.SaveChangesAsync(token);
                    Interlocked.Add(ref appended, chunk.Sum(c => (long)c.Events.Count));
                });
            await using (var session = store.LightweightSession())
            {
                StoreProgress(session, run, date, appended);
                await session.SaveChangesAsync(ct);
            }
            saving.Stop();
            thisRun += appended;
            progress?.Report(new GeneratorProgress(date, date.DayNumber - run.Start.DayNumber + 1, days, booked, run.EventsAppended, thisRun,
                deciding.Elapsed.TotalSeconds, saving.Elapsed.TotalSeconds));
        }

        logger.LogInformation("Generated {Loans} loans over {Months} months (seed {Seed}): {Events} events", o.Loans, o.Months, o.Seed, run.EventsAppended);
        return run;
    }

    private static void StoreProgress(IDocumentSession session, GeneratorRun run, DateOnly date, long appended)
    {
        run.CompletedThrough = date;
        run.EventsAppended += appended;
        session.Store(run);
    }

    private async Task<Dictionary<string, Product>> EnsureProducts(IDocumentSession session, CancellationToken ct)
    {
        var existing = (await session.Query<Product>().ToListAsync(ct)).ToDictionary(p => p.Code);
        var epoch = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var definition in Catalogue.Where(d => !existing.ContainsKey(d.Code)))
        {
            var product = ProductDecisions.Define(definition, epoch, "generator");
            session.Store(product);
            existing[product.Code] = product;
        }
        return existing;
    }

    /// <summary>The loans still open after the last committed date, as their streams made them.</summary>
    private async Task<Dictionary<Guid, LiveLoan>> Resume(GeneratorRun run, LoanPlan plan, CancellationToken ct)
    {
        var active = new Dictionary<Guid, LiveLoan>();
        if (run.CompletedThrough is null) return active;
        var indexOf = plan.IndicesBookedThrough(run.End).ToDictionary(plan.LoanId);
        await using var session = store.QuerySession();
        await foreach (var loan in session.Query<Loan>().Where(l => l.Status != LoanStatus.PaidOff && l.Status != LoanStatus.Settled && l.Status != LoanStatus.WrittenOff)
                           .ToAsyncEnumerable(ct))
        {
            // A date interrupted half-way: loans it already reached are not visited again that date.
            var live = new LiveLoan(indexOf[loan.Id], loan) { Version = loan.Version };
            live.WakeOn = loan.LastBusinessDate < run.CompletedThrough!.Value.AddDays(1) ? run.CompletedThrough.Value.AddDays(1) : loan.LastBusinessDate.AddDays(1);
            active[loan.Id] = live;
        }
        logger.LogInformation("Resuming the portfolio generator after {Date}: {Loans} open loans", run.CompletedThrough, active.Count);
        return active;
    }

    private List<ILoanEvent> Book(LoanPlan plan, int index, Dictionary<string, Product> products, DateOnly date, DateTimeOffset now)
    {
        var draw = plan.Draw(index, 0);
        var product = products[draw.Pick([0.45, 0.25, 0.15, 0.15], Catalogue).Code];
        var usd = product.Terms.Currency == "USD";
        var place = usd ? draw.Pick(UsPlaces, 1) : draw.Pick(Places, 1);
        var principal = usd ? (2 + draw.Int(2, 19)) * 50m : product.Code == "WEEKLY-12" ? (4 + draw.Int(3, 16)) * 250m : (4 + draw.Int(4, 60)) * 500m;
        var name = usd ? draw.Pick(UsNames, 5) : $"{draw.Pick(Surnames, 5)} {draw.Pick(Given, 6)}";
        var borrower = new Borrower($"C{plan.Seed % 1000:000}-{index:0000000}", name, $"+86-1{draw.Int(7, 30, 99)}-{draw.Int(8, 1000, 9999)}-{draw.Int(9, 1000, 9999)}",
            $"c{index}@example.com", $"GEN{draw.Int(10, 10_000_000, 99_999_999)}", place.TimeZone, $"{draw.Int(11, 1, 300)} Sample Road, {place.Branch}");
        return [.. DisbursementDecisions.Decide(new DisburseLoan(plan.LoanId(index), product.Code, principal, product.Terms.Currency, date,
            borrower, place.Region, place.Branch), existing: null, product, date, Supervisor, now)];
    }

    /// <summary>One business date of one open loan: close of business and the ladder's actions, then what people do.</summary>
    private static DateTimeOffset TenAmFor(Loan loan, DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(10, 0));
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(loan.Borrower.TimeZone).GetUtcOffset(local));
    }

    private List<ILoanEvent> Live(LiveLoan live, LoanPlan plan, Dictionary<string, Product> products, bool peopleAct, DateOnly date, DateTimeOffset now)
    {
        var events = new List<ILoanEvent>();
        void Apply(IEnumerable<ILoanEvent> produced)
        {
            foreach (var e in produced)
            {
                live.Loan = Loan.Evolve(live.Loan, e);
                events.Add(e);
            }
        }
        void Try(Func<IEnumerable<ILoanEvent>> decide)
        {
            // A rule refusal is what the service would answer; the borrower or collector simply does not get their way.
            try { Apply(decide()); }
            catch (LendingRuleViolated e) { logger.LogDebug("Generator: {Code} on loan {LoanId}", e.Code, live.Loan.Id); }
        }

        var draw = plan.Draw(live.Index, date.DayNumber);
        var profile = plan.ProfileOf(live.Index);

        // The same index the service's close of business reads: loans with something due before this date.
        if (live.Loan.CloseOfBusinessDueDate < date)
        {
            var loanLadder = products.GetValueOrDefault(live.Loan.ProductCode)?.Ladder ?? ladder;
            var closed = CloseOfBusinessDay.Close(live.Loan, date, buckets, loanLadder, policy);
            Apply(closed.Events);
            foreach (var action in closed.Actions)
            {
                // Carried out as the escalation handler does, with notices at 10:00 in the borrower's day (inside every
                // profile's contact window); a channel's delivery is not simulated.
                Apply(EscalationActions.Decide(live.Loan, action.Stage, action.Action, action.BusinessDate, options.Value.Escalation.Queues,
                    draw.Guid(20), TenAmFor(live.Loan, date), action.MinDpd, policy, conduct, templates).Events);
                // A supervisor shares the early-collection queue out among the collectors.
                if (peopleAct && action.Action == EscalationAction.AssignCollectorQueue && live.Loan.AssignedTo == options.Value.Escalation.EarlyCollectionQueue)
                    Try(() => CollectionsDecisions.Assign(live.Loan, AssigneeKind.Collector, draw.Pick(Collectors, 21),
                        new CollectionsActor(Supervisor, true), date, now));
            }
        }
        if (live.Loan.IsClosed) return events;
        if (!peopleAct) return Pay(live, plan, date, now, Try, events);

        if (live.Loan.PendingWriteOff is { } proposal && date >= proposal.ProposedOn.AddDays(3))
            Try(() => [WriteOffDecisions.Approve(live.Loan, Checker, date, now)]);
        if (live.Loan.IsClosed) return events;

        var position = LoanPosition.Of(live.Loan, date);
        if (profile == Profile.Restructured && position.Dpd >= 20 && !live.Loan.Restructuring.Restructured && live.Loan.Restructuring.Pending is null)
        {
            Try(() => [RestructuringDecisions.Request(live.Loan, new RestructureTerms(RestructureType.InstallmentPlan, 6, null, null, null),
                "Lost income; can pay in smaller instalments", ["payslip.pdf"], Collector, draw.Guid(30), date, now)]);
            Try(() => RestructuringDecisions.Approve(live.Loan, Supervisor, date, now, buckets));
        }

        if (live.Loan.Collections.Assignment is { Kind: AssigneeKind.Collector } assignment && position.Dpd > 0 && draw.Chance(40, 0.3))
            Contact(live, plan, date, now, assignment.AssigneeId, position, draw, Apply);

        return Pay(live, plan, date, now, Try, events);
    }

    /// <summary>The borrower's payment of the date, by profile, recorded as the payments endpoint records it.</summary>
    private List<ILoanEvent> Pay(LiveLoan live, LoanPlan plan, DateOnly date, DateTimeOffset now, Action<Func<IEnumerable<ILoanEvent>>> attempt,
        List<ILoanEvent> events)
    {
        var amount = PaymentDue(live, plan, plan.ProfileOf(live.Index), date);
        if (amount > 0m)
            attempt(() => PaymentDecisions.Decide(new RecordPayment(PaymentReference(live.Index, date), amount, date), live.Loan, date, buckets,
                new CollectionsActor(Supervisor, IsSupervisor: true), now, PaymentPolicy.Default));
        return events;
    }

    public static string PaymentReference(int index, DateOnly date) => $"GEN-{index}-{date:yyyyMMdd}";

    private void Contact(LiveLoan live, LoanPlan plan, DateOnly date, DateTimeOffset now, string agent, LoanPosition position, Draw draw,
        Action<IEnumerable<ILoanEvent>> apply)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(live.Loan.Borrower.TimeZone);
        var local = date.ToDateTime(new TimeOnly(10 + draw.Int(41, 0, 8), draw.Int(42, 0, 59)));
        var at = new DateTimeOffset(local, zone.GetUtcOffset(local));
        var profile = plan.ProfileOf(live.Index);
        var outcome = draw.Chance(43, 0.35) ? ContactOutcome.NoAnswer
            : profile is Profile.PromiseBreaker or Profile.LateCurer && live.Loan.Collections.OpenPromise is null ? ContactOutcome.PromiseToPay
            : draw.Chance(44, 0.2) ? ContactOutcome.Hardship : ContactOutcome.RightPartyContact;
        var promise = outcome == ContactOutcome.PromiseToPay
            ? new PromiseTerms(Math.Max(1m, Money.Round(position.Arrears)), date.AddDays(3 + draw.Int(45, 0, 7))) : null;
        try
        {
            apply(CollectionsDecisions.RecordContact(live.Loan, new RecordContact(ContactChannel.Phone, ContactDirection.Outbound,
                ContactParty.Borrower, outcome, at, outcome == ContactOutcome.PromiseToPay ? "Borrower promised to pay" : "Called about the arrears",
                promise, null), conduct, new CollectionsActor(agent, false), draw.Guid(46), draw.Guid(47), date, now));
        }
        catch (LendingRuleViolated e) { logger.LogDebug("Generator: contact refused ({Code}) on loan {LoanId}", e.Code, live.Loan.Id); }
    }

    /// <summary>What the borrower pays on this date, by profile: instalments on (or after) their due dates, promises, or nothing.</summary>
    private static decimal PaymentDue(LiveLoan live, LoanPlan plan, Profile profile, DateOnly date)
    {
        var loan = live.Loan;
        var due = LoanPosition.Billed(loan, date).Where(i => i.DueDate <= date).Sum(i => i.TotalDue);
        var first = loan.Installments.FirstOrDefault(i => !i.IsSettled && i.DueDate <= date);
        var lateness = plan.LatenessOf(live.Index, first?.Number ?? 0);
        switch (profile)
        {
            case Profile.Prepayer when date.DayNumber - loan.DisbursedOn.DayNumber == plan.PrepayAfterDays(live.Index):
                return LoanPosition.Of(loan, date).TotalOutstanding;
            case Profile.Defaulter when first is not null && first.Number > plan.PaidInstallmentsBeforeDefault(live.Index):
                return 0m;
            case Profile.PromiseBreaker when first is not null:
                // Pays only what a promise holds it to, and only every other promise.
                return loan.Collections.OpenPromise is { } p && p.DueOn == date && plan.Draw(live.Index, date.DayNumber).Chance(50, 0.5) ? p.Amount : 0m;
            case Profile.Restructured when !loan.Restructuring.Restructured && first is not null && first.Number > 1:
                return 0m;
        }
        return first is not null && first.DueDate.AddDays(lateness) <= date ? due : 0m;
    }

    /// <summary>The next date this loan has something to do: close of business, a payment or a collector's call.</summary>
    private static DateOnly NextWake(LiveLoan live, LoanPlan plan, DateOnly date)
    {
        var tomorrow = date.AddDays(1);
        var loan = live.Loan;
        if (loan.IsClosed) return DateOnly.MaxValue;
        if (LoanPosition.DpdOf(loan, tomorrow) > 0 || loan.PendingWriteOff is not null
            || loan.Restructuring.Pending is not null) return tomorrow;
        var candidates = new List<DateOnly>();
        if (loan.CloseOfBusinessDueDate is { } cob) candidates.Add(cob.AddDays(1));
        if (loan.Installments.FirstOrDefault(i => !i.IsSettled) is { } next)
            candidates.Add(next.DueDate.AddDays(plan.LatenessOf(live.Index, next.Number)));
        if (plan.ProfileOf(live.Index) == Profile.Prepayer) candidates.Add(loan.DisbursedOn.AddDays(plan.PrepayAfterDays(live.Index)));
        // A date already past (close of business due since, an instalment the borrower is late on) means tomorrow.
        return candidates.Select(d => d < tomorrow ? tomorrow : d).DefaultIfEmpty(tomorrow).Min();
    }

    private static Loan? Evolve(Loan? loan, IEnumerable<ILoanEvent> events) => events.Aggregate(loan, (l, e) => Loan.Evolve(l, e));

    /// <summary>An open loan in the generator's memory.</summary>
    private sealed class LiveLoan(int index, Loan loan)
    {
        public int Index { get; } = index;
        public Loan Loan { get; set; } = loan;
        /// <summary>The stream's version once what was decided so far is appended.</summary>
        public long Version { get; set; }
        public DateOnly WakeOn { get; set; } = loan.DisbursedOn.AddDays(1);
    }
}
