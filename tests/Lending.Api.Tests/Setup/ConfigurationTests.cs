using Lending.Api.Setup;
using Lending.Domain.Collections;
using Lending.Domain.Escalation;
using Lending.Domain.Loans;
using Microsoft.Extensions.Configuration;

namespace Lending.Api.Tests.Setup;

/// <summary>The numbers DOMAIN.md puts in configuration really bind from it (environment variables use __ for :).</summary>
public class ConfigurationTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Conduct_limits_bind_from_configuration()
    {
        var policy = Config(new()
        {
            ["Lending:Conduct:CnNifa:DailyCapPerChannel"] = "2",
            ["Lending:Conduct:CnNifa:LatestLocal"] = "21:30",
            ["Lending:Conduct:UsRegF:MaxPhoneAttempts"] = "5",
        }).GetSection("Lending:Conduct").Get<ConductPolicy>()!;

        Assert.Equal(2, policy.CnNifa.DailyCapPerChannel);
        Assert.Equal(new TimeOnly(21, 30), policy.CnNifa.LatestLocal);
        Assert.Equal(new TimeOnly(8, 0), policy.CnNifa.EarliestLocal);
        Assert.Equal(5, policy.UsRegF.MaxPhoneAttempts);
        Assert.Equal(7, policy.UsRegF.ConversationCooldownDays);
    }

    [Fact]
    public void Buckets_and_the_ladder_bind_from_configuration()
    {
        var options = Config(new()
        {
            ["Lending:Delinquency:Buckets:0:Bucket"] = "Current", ["Lending:Delinquency:Buckets:0:MinDpd"] = "0",
            ["Lending:Delinquency:Buckets:1:Bucket"] = "M1", ["Lending:Delinquency:Buckets:1:MinDpd"] = "5",
            ["Lending:Escalation:Ladder:0:Stage"] = "Reminder", ["Lending:Escalation:Ladder:0:Action"] = "ReminderNotice",
            ["Lending:Escalation:Ladder:0:MinDpd"] = "3",
        }).GetSection("Lending").Get<LendingOptions>()!;

        var buckets = options.Delinquency.ToPolicy();
        Assert.Equal(DelinquencyBucket.Current, buckets.For(4));
        Assert.Equal(DelinquencyBucket.M1, buckets.For(5));
        var ladder = options.Escalation.ToLadder();
        Assert.Equal((EscalationStage.Reminder, 3), (Assert.Single(ladder.Stages).Stage, ladder.Stages[0].MinDpd));
        Assert.Same(EscalationLadder.Default, new LendingOptions().Escalation.ToLadder());
    }
}
