using Lending.Api.Setup;
using Lending.Domain;
using Lending.Domain.Loans.Payments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lending.Api.Tests.Setup;

/// <summary>Policy numbers are read from configuration (<c>Lending:Policy</c>, <c>Lending:Payments</c>) and bounded.</summary>
public class PolicyConfigurationTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLendingOptions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void Configured_numbers_reach_the_decisions()
    {
        using var services = Services(new()
        {
            ["Lending:Policy:MaxPromiseDays"] = "45", ["Lending:Policy:DemandResponseDays"] = "20",
            ["Lending:Policy:WorkQueue:PerBrokenPromise"] = "35", ["Lending:Payments:MaxBackDays"] = "10",
            ["Lending:Payments:SupervisorBackDays"] = "2",
        });
        var policy = services.GetRequiredService<LendingPolicy>();
        Assert.Equal((45, 20, 35, 12), (policy.MaxPromiseDays, policy.DemandResponseDays, policy.WorkQueue.PerBrokenPromise,
            policy.MaxExtensionPeriods));
        Assert.Equal(new PaymentPolicy(10, 2), services.GetRequiredService<PaymentPolicy>());
    }

    [Theory]
    [InlineData("Lending:Policy:MaxPromiseDays", "0")]
    [InlineData("Lending:Policy:WorkQueue:RecentContactDays", "0")]
    [InlineData("Lending:Payments:SupervisorBackDays", "45")]
    public void Numbers_out_of_bounds_stop_the_start(string key, string value)
    {
        using var services = Services(new() { [key] = value });
        var app = new FakeHost(services);
        Assert.Throws<InvalidOperationException>(app.CheckLendingPolicies);
    }

    private sealed class FakeHost(IServiceProvider services) : Microsoft.Extensions.Hosting.IHost
    {
        public IServiceProvider Services { get; } = services;
        public void Dispose() { }
        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
