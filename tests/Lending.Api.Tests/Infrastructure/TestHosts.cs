using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Lending.Api.Tests.Infrastructure;

/// <summary>Starts the real API host against a test database.</summary>
public static class TestHosts
{
    /// <param name="solo">One node (the shared fixture); false runs Wolverine balanced and the daemon HotCold, as in production.</param>
    /// <param name="settings">More configuration (e.g. the notification channels' adapters).</param>
    public static Task<IAlbaHost> StartAsync(string connectionString, TimeProvider clock, string noticeDirectory, bool solo, int batchSize,
        IReadOnlyDictionary<string, string>? settings = null) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Lending", connectionString);
            builder.UseSetting("Lending:Auth:DevTokens", "true");
            builder.UseSetting("Lending:BusinessDate:Initial", AppFixture.StartDate.ToString("yyyy-MM-dd"));
            builder.UseSetting("Lending:Demo:Seed", "false");
            // A policy number other than its default, so tests see configuration reach the decisions.
            builder.UseSetting("Lending:Policy:DemandResponseDays", "21");
            // A product's own reminder text (the test product CASH-12M keeps the profile's).
            builder.UseSetting("Lending:Notifications:Templates:MICRO-30.reminder.zh", "【小额提醒】{name}，逾期 {dpd} 天，欠款 {arrears}。");
            builder.UseSetting("Lending:Notifications:Templates:MICRO-30.reminder.en", "Micro loan: {name}, {arrears} is {dpd} days late.");
            // Small batches, so close-of-business tests also cross batch boundaries.
            builder.UseSetting("Lending:CloseOfBusiness:BatchSize", batchSize.ToString());
            builder.UseSetting("Lending:Notifications:Directory", noticeDirectory);
            // A solo host's daemon runs under an explicit coordinator that its test starts itself (ApiTest): resuming it after
            // a close would start nothing. Standing aside is proven on HotCold hosts (ProjectionsStandAsideTests).
            if (solo) builder.UseSetting("Lending:CloseOfBusiness:ProjectionsStandAside", "false");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton(clock);
                services.ConfigureMarten(opts => opts.Listeners.Add(SaveRace.Instance));
                // Every notice handed to a channel is counted, by notice id (a second send of one notice is a defect).
                services.AddSingleton<Lending.Api.Notifications.NotificationRouter>();
                services.AddSingleton<Lending.Api.Notifications.INotificationSender>(sp =>
                    new NoticeSends(sp.GetRequiredService<Lending.Api.Notifications.NotificationRouter>()));
                if (!solo) return;
                services.RunWolverineInSoloMode();
                services.MartenDaemonModeIsSolo();
                services.DisableAllExternalWolverineTransports();
            });
        });
}
