using Lending.Api.Setup;
using Lending.Domain.CloseOfBusiness;
using Marten;
using Microsoft.Extensions.Options;

namespace Lending.Api.BusinessDates;

/// <summary>Reads the business calendar; a new database starts on the configured initial date.</summary>
public sealed class BusinessCalendarStore(IOptions<LendingOptions> options, TimeProvider clock)
{
    public async Task<BusinessCalendar> LoadAsync(IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<BusinessCalendar>(BusinessCalendar.DocumentId, ct) ?? Initial;

    public BusinessCalendar Initial =>
        new(options.Value.BusinessDate.Initial ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ActiveRunId: null);

    public async Task<DateOnly> TodayAsync(IQuerySession session, CancellationToken ct) =>
        (await LoadAsync(session, ct)).BusinessDate;

    /// <summary>Today's business date as a query plan, to read it in the same batch as a request's other reads.</summary>
    public TodaysBusinessDay Today => new(this);
}
