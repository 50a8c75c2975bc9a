using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lending.Domain.Loans;
using Lending.Domain.Loans.Ledger;

namespace Lending.Api.Setup;

/// <summary>
/// How a loan is stored: the loan document, read and written by every command and close of business, and the loan in
/// each analytics row. It is a projection of the loan's events, so it is kept small rather than self-describing:
/// ledger rows (instalments, allocation lines, payments, delinquency pauses) are positional arrays in constructor order
/// with their trailing defaults left out; members of nested values equal to their constructor's default are left out
/// (reading them back gives the same default); null members of the loan are left out. The loan's own member names stay,
/// for the queries on them (status, litigation). Documents stored before (objects, payments keyed by reference) read.
/// Events are not affected: they are the record, and stay self-describing.
/// </summary>
internal sealed class StoredLoanJson : JsonConverter<Loan>
{
    private sealed record Built(JsonSerializerOptions Outer, JsonSerializerOptions Compact);

    // Published whole, once built: a thread sees either nothing or both options, never a torn pair.
    private volatile Built? built;

    public override Loan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Loan>(ref reader, Compact(options));

    public override void Write(Utf8JsonWriter writer, Loan value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Compact(options));

    private JsonSerializerOptions Compact(JsonSerializerOptions outer)
    {
        if (built is { } b && ReferenceEquals(b.Outer, outer)) return b.Compact;
        var plain = new JsonSerializerOptions(outer);
        foreach (var mine in plain.Converters.OfType<StoredLoanJson>().ToList()) plain.Converters.Remove(mine);
        var compact = new JsonSerializerOptions(plain);
        // Each ledger row's members in their stored order, every member named: members most rows carry come first, so
        // the defaults most rows have are trailing ones. The order is the stored format: a new member goes at the end.
        compact.Converters.Add(new PositionalJson<Installment>(plain, nameof(Installment.Number), nameof(Installment.DueDate),
            nameof(Installment.Principal), nameof(Installment.Interest), nameof(Installment.PeriodStart), nameof(Installment.PrincipalPaid),
            nameof(Installment.InterestPaid), nameof(Installment.Penalty), nameof(Installment.PenaltyPaid), nameof(Installment.PenaltyCarry),
            nameof(Installment.Fees), nameof(Installment.FeesPaid), nameof(Installment.LateFeeCharged), nameof(Installment.InterestWaived),
            nameof(Installment.InterestCarried), nameof(Installment.Replaced)));
        compact.Converters.Add(new PositionalJson<AllocationLine>(plain, nameof(AllocationLine.Installment), nameof(AllocationLine.Principal),
            nameof(AllocationLine.Interest), nameof(AllocationLine.Penalty), nameof(AllocationLine.Fees), nameof(AllocationLine.InterestWaived)));
        compact.Converters.Add(new PositionalJson<PaymentAllocation>(plain, nameof(PaymentAllocation.Reference), nameof(PaymentAllocation.PaidOn),
            nameof(PaymentAllocation.Amount), nameof(PaymentAllocation.Lines), nameof(PaymentAllocation.Overpayment)));
        compact.Converters.Add(new PositionalJson<PauseInterval>(plain, nameof(PauseInterval.From), nameof(PauseInterval.Until)));
        compact.Converters.Add(new PaymentsJson(plain));
        compact.TypeInfoResolver = (plain.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(LeaveOutDefaults);
        compact.MakeReadOnly();
        built = new Built(outer, compact);
        return compact;
    }

    private static void LeaveOutDefaults(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Assembly != typeof(Loan).Assembly) return;
        if (info.Type == typeof(Loan))
        {
            foreach (var p in info.Properties.Where(p => !p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null))
                p.ShouldSerialize = (_, v) => v is not null;
            return;
        }
        var defaults = Constructor.Defaults(info.Type);
        foreach (var p in info.Properties)
            if (p.AttributeProvider is PropertyInfo property && defaults.TryGetValue(property.Name, out var d))
                p.ShouldSerialize = (_, v) => !Constructor.IsDefault(v, d);
    }

    /// <summary>A record's primary constructor and the value each of its parameters takes when left out.</summary>
    private static class Constructor
    {
        public static ConstructorInfo Of(Type t) => t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

        public static object? DefaultOf(ParameterInfo p) =>
            p.HasDefaultValue && p.DefaultValue is not null and not DBNull ? p.DefaultValue
            : p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? Activator.CreateInstance(p.ParameterType)
            : null;

        /// <summary>
        /// Whether leaving <paramref name="value"/> out reads back the same: for a decimal, the same scale too (0.00 is
        /// written, so an amount reads back as it was booked).
        /// </summary>
        public static bool IsDefault(object? value, object? @default) =>
            value is decimal v && @default is decimal d ? v == d && v.Scale == d.Scale : Equals(value, @default);

        public static Dictionary<string, object?> Defaults(Type t) =>
            Of(t).GetParameters().ToDictionary(p => p.Name!, DefaultOf, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A record as the array of its constructor's arguments in the given <paramref name="order"/> (every argument named,
    /// so a member added to the record without a stored position fails on first use, before any document is read), without the
    /// trailing ones equal to their default.
    /// </summary>
    private sealed class PositionalJson<T>(JsonSerializerOptions plain, params string[] order) : JsonConverter<T>
    {
        private static readonly ConstructorInfo Ctor = Constructor.Of(typeof(T));
        private readonly ParameterInfo[] parameters = order.Length == Ctor.GetParameters().Length
            ? order.Select(name => Ctor.GetParameters().Single(p => p.Name == name)).ToArray()
            : throw new InvalidOperationException(
                $"{typeof(T).Name} has members without a stored position: {string.Join(", ", Ctor.GetParameters().Select(p => p.Name).Except(order))}.");
        private PropertyInfo[] Properties => properties ??= parameters
            .Select(p => typeof(T).GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                         ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no property to store."))
            .ToArray();
        private PropertyInfo[]? properties;
        private object?[] Defaults => defaults ??= parameters.Select(Constructor.DefaultOf).ToArray();
        private object?[]? defaults;

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.StartObject) return JsonSerializer.Deserialize<T>(ref reader, plain); // stored before
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"Expected an array for {typeof(T).Name}.");
            var args = new object?[parameters.Length];
            var defaults = Defaults;
            var i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (i == args.Length) throw new JsonException($"Too many values for {typeof(T).Name}.");
                args[parameters[i].Position] = JsonSerializer.Deserialize(ref reader, parameters[i].ParameterType, options);
                i++;
            }
            for (; i < parameters.Length; i++) args[parameters[i].Position] = defaults[i];
            return (T)Ctor.Invoke(args);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var values = Properties.Select(p => p.GetValue(value)).ToArray();
            var count = values.Length;
            while (count > 0 && Constructor.IsDefault(values[count - 1], Defaults[count - 1])) count--;
            writer.WriteStartArray();
            for (var i = 0; i < count; i++) JsonSerializer.Serialize(writer, values[i], parameters[i].ParameterType, options);
            writer.WriteEndArray();
        }
    }

    /// <summary>The payments, in booking order; a document stored before keyed them by reference, with each whole event.</summary>
    private sealed class PaymentsJson(JsonSerializerOptions plain) : JsonConverter<IReadOnlyList<PaymentAllocation>>
    {
        private sealed record StoredBefore(string Reference, DateOnly PaidOn, decimal Amount, IReadOnlyList<AllocationLine> Lines,
            decimal Overpayment, DateTimeOffset RecordedAt);

        public override IReadOnlyList<PaymentAllocation> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
                return JsonSerializer.Deserialize<Dictionary<string, StoredBefore>>(ref reader, plain)!.Values
                    .OrderBy(p => p.RecordedAt).ThenBy(p => p.Reference, StringComparer.Ordinal) // booking order
                    .Select(p => new PaymentAllocation(p.Reference, p.PaidOn, p.Amount, p.Lines, p.Overpayment)).ToArray();
            return JsonSerializer.Deserialize<PaymentAllocation[]>(ref reader, options)!;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<PaymentAllocation> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var p in value) JsonSerializer.Serialize(writer, p, options);
            writer.WriteEndArray();
        }
    }
}
