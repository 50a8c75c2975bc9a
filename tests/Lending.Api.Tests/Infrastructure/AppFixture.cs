using System.Net.Http.Headers;
using Alba;
using Lending.Api.Setup;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wolverine;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>
/// One API host for the whole assembly, on a database of its own. Each test class resets the data before each test
/// (<see cref="ApiTest"/>), so tests never see each other's loans.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly DateOnly StartDate = new(2026, 1, 31);

    /// <summary>The injectable clock: tests move it instead of waiting.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 31, 9, 0, 0, TimeSpan.Zero));

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>Where the file notification sender writes the notices the tests cause.</summary>
    public string NoticeDirectory { get; } = Path.Combine(Path.GetTempPath(), $"lending-notices-{Guid.NewGuid():N}");
    public string ConnectionString { get; private set; } = null!;

    /// <summary>E-mail notices go here: a real SMTP server in the test process.</summary>
    public TestSmtpServer Smtp { get; } = new();

    /// <summary>App notices (a borrower with neither phone nor e-mail) go to this stand-in SMS gateway, which can be made to fail.</summary>
    public StubSmsGateway Gateway { get; } = new();

    /// <summary>Where letters wait for the print vendor.</summary>
    public string PrintOutbox { get; } = Path.Combine(Path.GetTempPath(), $"lending-print-{Guid.NewGuid():N}");

    /// <summary>Checkpoints of the sealed log are stamped by this third-party stand-in.</summary>
    public StubTimestampAuthority Tsa { get; private set; } = null!;

    /// <summary>Where the development sealing key is generated for the test host.</summary>
    public string EvidenceKeyDirectory { get; } = Path.Combine(Path.GetTempPath(), $"lending-evidence-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Tsa = new StubTimestampAuthority(Clock);
        Directory.CreateDirectory(EvidenceKeyDirectory);
        await File.WriteAllTextAsync(Path.Combine(EvidenceKeyDirectory, "tsa-published.pem"), Tsa.Certificate.ExportCertificatePem());
        ConnectionString = await TestPostgres.CreateDatabaseAsync("lending_api");
        Host = await TestHosts.StartAsync(ConnectionString, Clock, NoticeDirectory, solo: true, batchSize: 2, new Dictionary<string, string>
        {
            ["Lending:Notifications:Channels:email"] = "smtp",
            ["Lending:Notifications:Smtp:Host"] = "127.0.0.1",
            ["Lending:Notifications:Smtp:Port"] = Smtp.Port.ToString(),
            ["Lending:Notifications:Smtp:Security"] = "none",
            ["Lending:Notifications:Channels:letter"] = "print",
            ["Lending:Notifications:PrintOutbox"] = PrintOutbox,
            ["Lending:Notifications:Channels:app"] = "sms-gateway",
            ["Lending:Notifications:SmsGateway:Url"] = Gateway.Url,
            ["Lending:Notifications:SmsGateway:AttemptTimeoutSeconds"] = "2",
            ["Lending:Notifications:RetryCooldownSeconds:0"] = "1",
            ["Lending:Notifications:RetryCooldownSeconds:1"] = "1",
            ["Lending:Evidence:DevelopmentKeyDirectory"] = EvidenceKeyDirectory,
            ["Lending:Evidence:TimestampAuthorityUrl"] = Tsa.Url,
            ["Lending:Evidence:TimestampAuthorityCertificatePath"] = Path.Combine(EvidenceKeyDirectory, "tsa-published.pem"),
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(ConnectionString);
        if (Directory.Exists(NoticeDirectory)) Directory.Delete(NoticeDirectory, recursive: true);
        if (Directory.Exists(PrintOutbox)) Directory.Delete(PrintOutbox, recursive: true);
        await Smtp.DisposeAsync();
        await Gateway.DisposeAsync();
        await Tsa.DisposeAsync();
        if (Directory.Exists(EvidenceKeyDirectory)) Directory.Delete(EvidenceKeyDirectory, recursive: true);
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>A bearer token for a user with these roles, signed as the API expects.</summary>
    public string TokenFor(string subject, params string[] roles) => TestTokens.Create(Host.Services.GetRequiredService<TokenSigning>(), Clock, subject, roles);

    public AuthenticationHeaderValue Bearer(string subject, params string[] roles) => new("Bearer", TokenFor(subject, roles));
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}
