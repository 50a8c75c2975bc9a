using Lending.Api.Setup;
using Marten.Exceptions;
using Npgsql;

namespace Lending.Api.Tests.Setup;

/// <summary>What is retried as passing and what stops a close-of-business run as a defect.</summary>
public class TransienceTests
{
    private static NpgsqlException LostConnection() => new("Exception while reading from stream", new IOException("connection reset"));

    [Fact]
    public void A_lost_connection_is_transient_also_when_Marten_wraps_it()
    {
        Assert.True(Transience.IsTransient(LostConnection()));
        Assert.True(Transience.IsTransient(new MartenCommandException(new NpgsqlCommand("select 1"), LostConnection())));
        Assert.True(Transience.IsDatabaseError(new MartenCommandException(new NpgsqlCommand("select 1"), LostConnection())));
    }

    [Fact]
    public void A_conflict_is_transient_and_a_defect_is_not()
    {
        Assert.True(Transience.IsTransient(new JasperFx.Events.EventStreamUnexpectedMaxEventIdException(Guid.NewGuid(), null, 3, 4)));
        Assert.False(Transience.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(Transience.IsTransient(new MartenCommandException(new NpgsqlCommand("select 1"), new PostgresException("syntax", "ERROR", "ERROR", "42601"))));
        Assert.False(Transience.IsDatabaseError(new InvalidOperationException("a bug")));
    }
}
