using Lending.Domain.Escalation;
using Lending.Domain.Loans.Delinquency;

namespace Lending.Api.Setup;

/// <summary>The <c>Lending</c> configuration section.</summary>
public sealed class LendingOptions
{
    public const string Section = "Lending";

    public AuthOptions Auth { get; set; } = new();
    public BusinessDateOptions BusinessDate { get; set; } = new();
    public DemoOptions Demo { get; set; } = new();
    public DelinquencyOptions Delinquency { get; set; } = new();
    public CloseOfBusinessOptions CloseOfBusiness { get; set; } = new();
    public DocumentOptions Documents { get; set; } = new();
    public NotificationOptions Notifications { get; set; } = new();
    public EscalationOptions Escalation { get; set; } = new();
    public AnalyticsOptions Analytics { get; set; } = new();
    public PaymentOptions Payments { get; set; } = new();
    public Evidence.EvidenceOptions Evidence { get; set; } = new();
    /// <summary>Policy numbers (<see cref="Lending.Domain.LendingPolicy"/>), checked against their bounds at start.</summary>
    public Lending.Domain.LendingPolicy Policy { get; set; } = new();

    public sealed class PaymentOptions
    {
        /// <summary>The oldest value date a payment may have, in days before the business date.</summary>
        public int MaxBackDays { get; set; } = 30;
        /// <summary>Beyond this many days back, only a supervisor records the payment.</summary>
        public int SupervisorBackDays { get; set; } = 3;

        public Lending.Domain.Loans.Payments.PaymentPolicy ToPolicy() =>
            MaxBackDays is < 0 or > 366 || SupervisorBackDays < 0 || SupervisorBackDays > MaxBackDays
                ? throw new InvalidOperationException(
                    "Lending:Payments: MaxBackDays is 0 to 366 and SupervisorBackDays 0 to MaxBackDays.")
                : new(MaxBackDays, SupervisorBackDays);
    }

    public sealed class AnalyticsOptions
    {
        /// <summary>Provisioning classes over the buckets; the five-category default when empty.</summary>
        public List<Lending.Domain.Analytics.ProvisionClass> Provisioning { get; set; } = [];
        /// <summary>Events an async projection may be behind before health reports it degraded.</summary>
        public long MaxHealthyLag { get; set; } = 10_000;

        public Lending.Domain.Analytics.ProvisioningPolicy ToPolicy() =>
            Provisioning.Count == 0 ? Lending.Domain.Analytics.ProvisioningPolicy.Default : new(Provisioning);
    }

    public sealed class NotificationOptions
    {
        /// <summary>Where the file sink writes notices, relative to the content root.</summary>
        public string Directory { get; set; } = "../../.local/notices";
        /// <summary>The adapter of each notice channel (<c>sms</c>, <c>email</c>, <c>letter</c>, <c>app</c>): <c>file</c> unless named.</summary>
        public Dictionary<string, string> Channels { get; set; } = [];
        public Notifications.SmtpOptions Smtp { get; set; } = new();
        public Notifications.SmsGatewayOptions SmsGateway { get; set; } = new();
        /// <summary>Notice texts: <c>{product or profile}.{reminder|demand_letter}.{zh|en}</c> → text with placeholders (docs/escalation.md).</summary>
        public Dictionary<string, string> Templates { get; set; } = [];
        /// <summary>Seconds between attempts at a notice a channel refused, after which it is dead-lettered.</summary>
        public int[] RetryCooldownSeconds { get; set; } = [1, 5, 30];
        /// <summary>Where printed letters (PDF) wait for the print vendor, relative to the content root.</summary>
        public string PrintOutbox { get; set; } = "../../.local/print-outbox";
    }

    public sealed class EscalationOptions
    {
        /// <summary>The ladder; DOMAIN.md's default when empty.</summary>
        public List<LadderStage> Ladder { get; set; } = [];
        /// <summary>Collector queue a loan joins at early collection (unless already assigned).</summary>
        public string EarlyCollectionQueue { get; set; } = "early-collections";
        /// <summary>Senior collectors' queue a loan moves to at late collection.</summary>
        public string LateCollectionQueue { get; set; } = "senior-collections";

        public EscalationQueues Queues => new(EarlyCollectionQueue, LateCollectionQueue);

        /// <summary>A cure starts a new delinquency episode: broken promises and a plan breach count from zero again.</summary>
        public bool CureStartsNewEpisode { get; set; } = true;

        public EscalationLadder ToLadder() =>
            Ladder.Count == 0 && CureStartsNewEpisode ? EscalationLadder.Default
            : new(Ladder.Count == 0 ? EscalationLadder.Default.Stages : Ladder, CureStartsNewEpisode);
    }

    public sealed class DocumentOptions
    {
        /// <summary>A TrueType font (collection) covering Latin and Chinese.</summary>
        public string FontPath { get; set; } = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    }

    public sealed class DelinquencyOptions
    {
        /// <summary>Lowest DPD of each bucket; DOMAIN.md's ranges when empty.</summary>
        public List<BucketRange> Buckets { get; set; } = [];

        public BucketPolicy ToPolicy() => Buckets.Count == 0 ? BucketPolicy.Default : new BucketPolicy(Buckets);
    }

    public sealed class CloseOfBusinessOptions
    {
        /// <summary>Loans closed by one message of a close-of-business run, split into <see cref="Parallelism"/> transactions.</summary>
        public int BatchSize { get; set; } = 1000;
        /// <summary>Transactions a batch is split into and committed at once, each on its own connection (1–64).</summary>
        public int Parallelism { get; set; } = 4;
        /// <summary>The async projections (analytics, the sealed evidence log) stand aside on every node while a run closes
        /// dates, and catch up once it has finished (<c>ProjectionsStandAside</c>).</summary>
        public bool ProjectionsStandAside { get; set; } = true;
        /// <summary>A run that has closed nothing for this long (its message lost) no longer holds the projections back.</summary>
        public int StandAsideStalledAfterSeconds { get; set; } = 300;
        /// <summary>How often each node reads whether a run is closing dates.</summary>
        public int StandAsidePollMilliseconds { get; set; } = 1000;
    }

    public sealed class AuthOptions
    {
        /// <summary>Serve <c>POST /dev/token</c>. Never enable it where real borrowers' data lives.</summary>
        public bool DevTokens { get; set; }
        /// <summary>HMAC-SHA256 key for bearer tokens, at least 32 characters.</summary>
        public string? SigningKey { get; set; }
        public string Issuer { get; set; } = "lending";
        public string Audience { get; set; } = "lending-api";
        public int DevTokenLifetimeMinutes { get; set; } = 480;
    }

    public sealed class BusinessDateOptions
    {
        /// <summary>The business date of a new database; today's UTC date when not set.</summary>
        public DateOnly? Initial { get; set; }
    }

    public sealed class DemoOptions
    {
        /// <summary>Seed a small demo portfolio into an empty database at start.</summary>
        public bool Seed { get; set; }
        public int Loans { get; set; } = 200;
        /// <summary>Months of history, ending on today's business date.</summary>
        public int Months { get; set; } = 6;
        public int RandomSeed { get; set; } = 20260101;
    }
}

public static class LendingOptionsSetup
{
    /// <summary>Builds the policies from configuration now, so numbers out of bounds fail the start, not a request.</summary>
    public static void CheckLendingPolicies(this IHost app)
    {
        app.Services.GetRequiredService<Lending.Domain.LendingPolicy>();
        app.Services.GetRequiredService<Lending.Domain.Loans.Payments.PaymentPolicy>();
    }

    public static IServiceCollection AddLendingOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LendingOptions>(configuration.GetSection(LendingOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BusinessDates.BusinessCalendarStore>();
        services.AddSingleton<BusinessDates.CloseOfBusinessBatch>();
        services.AddSingleton<Documents.DocumentFonts>();
        Notifications.NotificationSetup.AddLendingNotifications(services);
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Escalation.ToLadder());
        services.AddSingleton(configuration.GetSection($"{LendingOptions.Section}:Conduct").Get<Lending.Domain.Collections.ConductPolicy>()
            ?? new Lending.Domain.Collections.ConductPolicy());
        services.AddSingleton(sp => Analytics.AnalyticsRules.CheckParBoundaries(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Delinquency.ToPolicy()));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Analytics.ToPolicy());
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Payments.ToPolicy());
        services.AddSingleton(sp => Lending.Domain.Escalation.NoticeTemplates.With(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Notifications.Templates));
        services.AddSingleton(sp =>
        {
            var policy = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LendingOptions>>().Value.Policy;
            return policy.Problems() is { Count: > 0 } problems ? throw new InvalidOperationException(string.Join(" ", problems)) : policy;
        });
        services.AddSingleton(new Lending.Projections.Analytics.AnalyticsSchema(MartenSetup.DocumentSchema));
        services.AddSingleton(new Lending.Projections.Collections.WorkQueueSchema(MartenSetup.DocumentSchema));
        services.AddSingleton(new Lending.Projections.Loans.PaymentReferences(MartenSetup.DocumentSchema, MartenSetup.EventSchema));
        services.AddHostedService<Loans.Payments.PaymentReferenceBackfill>();
        services.AddHostedService<Collections.WorkQueueBackfill>();
        services.AddSingleton<Analytics.AnalyticsStore>();
        services.AddSingleton<Analytics.ProjectionLagReader>();
        services.AddSingleton<Analytics.AnalyticsRebuild>();
        services.AddSingleton<Portfolio.PortfolioGenerator>();
        return services;
    }
}
