using Lending.Api.Auth;
using Lending.Api.Tests.Infrastructure;

namespace Lending.Api.Tests.Ledger;

/// <summary>What a new user might send to the money endpoints: each gets a 400 problem with a stable code, and nothing is written.</summary>
public class LedgerBadInputTests(AppFixture app) : ApiTest(app)
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "payments", "null", "request.malformed" },
        { "payments", "{\"amount\": 10, \"reference\": \"a\\u0000b\"}", "request.invalid_character" },
        { "payments", "{\"amount\": 1e400, \"reference\": \"big\"}", "request.malformed" },
        { "payments", "{\"amount\": 10, \"reference\": \"r\", \"paidOn\": \"2026-02-30\"}", "request.malformed" },
        { "payments", "{}", "request.invalid" },
        { "write-off/propose", "null", "request.malformed" },
        { "write-off/propose", "{\"reason\": \"\\u0000\"}", "request.invalid_character" },
        { "write-off/propose", "{\"reason\": 1e400}", "request.malformed" },
        { "write-off/propose", "{}", "request.invalid" },
        { "write-off/reject", "null", "request.malformed" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_bodies_are_400_problems_and_write_nothing(string path, string body, string code)
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();
        await AdvanceDays(28 + 5);
        var events = await EventCount(loanId);

        var result = await As(Roles.Supervisor, s =>
        {
            s.Post.Text(body).ToUrl($"/loans/{loanId}/{path}");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });

        await result.ShouldBeProblem(400, code);
        Assert.Equal(events, await EventCount(loanId));
    }

    [Fact]
    public async Task A_raw_nul_byte_or_a_nul_in_the_query_is_a_400_problem()
    {
        await DefineCashProduct();
        var loanId = await DisburseLoan();

        await (await As(Roles.Supervisor, s =>
        {
            s.Post.Text("{\"amount\": 10, \"reference\": \"a\0b\"}").ToUrl($"/loans/{loanId}/payments");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        })).ShouldBeProblem(400, "request.invalid_character");
        await (await As(Roles.Collector, s => { s.Get.Url($"/loans/{loanId}?asOf=2026-01-31%00"); s.StatusCodeShouldBe(400); }))
            .ShouldBeProblem(400, "request.invalid_character");
    }
}
