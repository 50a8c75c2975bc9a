using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Lending.Domain.CloseOfBusiness;
using Lending.Domain.Loans;
using Lending.Domain.Products;
using Lending.Projections;
using Marten;
using Weasel.Core;
using Wolverine.Marten;

namespace Lending.Api.Setup;

public static class MartenSetup
{
    public const string DocumentSchema = "lending";
    public const string EventSchema = "lending_events";
    public const string MessageSchema = "lending_messages";
    public const string CobIndexColumn = "close_of_business_due_date";
    public const string CobIndexName = "mt_doc_loan_idx_close_of_business_due_date_id";

    /// <summary>A batch of loans written in a few statements, into this store's tables (close of business, the generator).</summary>
    public static Lending.Projections.Loans.LoanBatchWrite WriteLoans(IReadOnlyList<Lending.Projections.Loans.LoanWrite> writes,
        Lending.Domain.WorkQueueWeights weights) => new(writes, DocumentSchema, EventSchema, CobIndexColumn, weights);

    public static IServiceCollection AddLendingMarten(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString("Lending")
            ?? throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Lending (./lending run starts a private PostgreSQL for you).");

        services.AddMarten(opts =>
            {
                opts.Connection(ServiceConnectionString(connectionString));
                opts.DatabaseSchemaName = DocumentSchema;
                opts.Events.DatabaseSchemaName = EventSchema;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, configure: json =>
                {
                    json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
                    json.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { StateOnly } };
                    json.Converters.Add(new StoredLoanJson());
                });

                // The async daemon's leader election uses DistributedLock, which rejects multiplexed locks on a
                // DbDataSource; holding the advisory lock in a transaction avoids that path.
                opts.Events.UseAdvisoryLockTransaction = true;
                // Quick appends skip the per-stream version lookup that rich appends make before writing. Every append
                // here names its expected version (FetchForWriting, the aggregate handler, close of business and the
                // generator pass it), so events still get their versions client-side: the inline Loan document's
                // Version stays exact, and a stale expected version fails in the database (MT003, checked under the stream
                // row's lock, below) as EventStreamUnexpectedMaxEventIdException, like a rich one.
                // QuickWithServerTimestamps, despite its name, sends each event's own timestamp (from the service
                // clock) to the append function; plain Quick would stamp appends to existing streams with the
                // database server's now().
                opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
                // An append with an expected version locks its stream's row before it checks the version, as close of business's
                // batch append does for all its streams (LoanBatchWrite): both take the stream row first, so a payment racing
                // a batch waits for it (or it for the payment) and then fails its version check (MT003, a 409 or a retry),
                // never a deadlock, and the loser takes no sequence number.
                opts.Events.UseExclusiveLockOnConcurrentAppends = true;
                // Marten 9's default, relied on: the inline Loan projection applies a save's events to the loans the session
                // already holds (FetchForWriting) instead of reading them back.
                opts.Events.UseIdentityMapForAggregates = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;

                opts.RegisterLendingDocuments();
                opts.AddLendingProjections(
                    (configuration.GetSection("Lending:Policy").Get<Lending.Domain.LendingPolicy>() ?? Lending.Domain.LendingPolicy.Default).WorkQueue);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = MessageSchema);

        // Registered after the daemon's coordinator, so it stops before the coordinator does (hosted services stop in reverse).
        services.AddSingleton<BusinessDates.StandAsideWhileClosing>();
        services.AddHostedService(sp => sp.GetRequiredService<BusinessDates.StandAsideWhileClosing>());

        // Event timestamps come from the service's one clock, like every other instant.
        services.ConfigureMarten((sp, opts) => opts.Events.TimeProvider = sp.GetRequiredService<TimeProvider>());
        return services;
    }

    /// <summary>
    /// The service's own settings for its connections, added to the connection string unless the operator's names them.
    /// <list type="bullet">
    /// <item>Prepared statements. The service sends the same few hundred statements all day (a loan's load and save, the
    /// append function, the daemon's pages). Npgsql prepares one once it has run twice on a connection, and keeps up to 100
    /// a connection; a connection returned to the pool is then reset without <c>DISCARD ALL</c>, which would also drop the
    /// plans PostgreSQL caches for the append functions' own statements, planned again on every call otherwise. An
    /// operator's own <c>Max Auto Prepare</c> and <c>Auto Prepare Min Usages</c> are kept (<c>Max Auto Prepare=0</c> turns
    /// it off, as a pooler without prepared-statement support needs: docs/scaling.md).</item>
    /// <item><c>random_page_cost = 1.1</c> (PostgreSQL's default is 4, for spinning disks), sent as a startup option. The
    /// service reads by key from a working set kept in memory or on SSD; at the default, on a book of 100,000 loans, the
    /// planner joined each page of events the async daemon reads to every stream by a full scan of <c>mt_streams</c> (a
    /// hash join) instead of one index probe per event (docs/benchmarks.md has the figures).
    /// An operator's own options are kept as given, without it: <c>Options</c> in the connection string, or else the
    /// <c>PGOPTIONS</c> environment variable, which Npgsql reads only when the string has none. Behind PgBouncer, or
    /// with options of one's own, set it on the database instead (docs/scaling.md).</item>
    /// </list>
    /// </summary>
    public static string ServiceConnectionString(string connectionString) =>
        ServiceConnectionString(connectionString, Environment.GetEnvironmentVariable("PGOPTIONS"));

    /// <param name="environmentOptions">The <c>PGOPTIONS</c> environment variable.</param>
    public static string ServiceConnectionString(string connectionString, string? environmentOptions)
    {
        // The keywords as given (case-insensitive); Npgsql's own builder answers "present" for every keyword it knows.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 100;
        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
        if (!given.ContainsKey("Options") && string.IsNullOrWhiteSpace(environmentOptions))
            builder.Options = $"-c random_page_cost={RandomPageCost}";
        return builder.ConnectionString;
    }

    /// <summary>The planner's cost of a page read out of order, for a working set in memory or on SSD.</summary>
    public const string RandomPageCost = "1.1";

    /// <summary>
    /// The store keeps state, not what is derived from it: a domain type's get-only properties (a loan's schedule in force,
    /// an instalment's amounts due, ...) are computed again on load, so they are not written. The domain needs no
    /// attributes for it; what queries need of them is in a duplicated column (the close-of-business date).
    /// </summary>
    private static void StateOnly(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object || info.Type.Assembly != typeof(Loan).Assembly) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Set is null) info.Properties.RemoveAt(i);
    }

    private static void RegisterLendingDocuments(this StoreOptions opts)
    {
        opts.Schema.For<Product>().Identity(p => p.Id);
        // Two advance requests racing must not both start a run: the second save fails on the version check.
        opts.Schema.For<BusinessCalendar>().Identity(c => c.Id).UseOptimisticConcurrency(true);
        opts.Schema.For<CobRun>().UseOptimisticConcurrency(true);
        opts.Schema.For<Loans.Payments.PaymentReferenceBackfillProgress>().Identity(p => p.Id);
        // One index besides the key: the close of business's. Nothing queries loans by product code or assignee (analytics
        // and the work queues have their own rows), and every upsert of a loan paid for each index. A loan is rewritten
        // by nearly every close of business in arrears, mostly with its close-of-business date unchanged: a fifth of each
        // page is left free so the new version fits on it (a HOT update, no index touched).
        opts.Schema.For<Loan>().FillFactor(80);
        opts.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(Loan)) return;
            // The close-of-business index: loans in arrears or with a promise due are found (and paged) by (date, id), so a
            // day's cost follows the loans that need work, not the size of the book. Declared as a plain index: the index
            // Marten makes for a duplicated field keeps that one column whatever its configuration says, and a page by
            // (date, id) then sorts every loan of the dates it spans.
            mapping.DuplicateField(nameof(Loan.CloseOfBusinessDueDate));
            mapping.Indexes.Add(new Weasel.Postgresql.Tables.IndexDefinition(CobIndexName)
            {
                // Built without blocking the loans' writes when a running book is upgraded.
                IsConcurrent = true,
                Columns = [CobIndexColumn, "id"],
                Predicate = $"{CobIndexColumn} is not null",
            });
        });
    }
}
