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
    private (JsonSerializerOptions Outer, JsonSerializerOptions Compact)? built;

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
        // Members most rows carry come first, so that the defaults most rows have are trailing ones.
        compact.Converters.Add(new PositionalJson<Installment>(plain, nameof(Installment.Number), nameof(Installment.DueDate),
            nameof(Installment.Principal), nameof(Installment.Interest), nameof(Installment.PeriodStart), nameof(Installment.PrincipalPaid),
            nameof(Installment.InterestPaid), nameof(Installment.Penalty), nameof(Installment.PenaltyPaid), nameof(Installment.PenaltyCarry),
            nameof(Installment.Fees), nameof(Installment.FeesPaid), nameof(Installment.LateFeeCharged)));
        compact.Converters.Add(new PositionalJson<AllocationLine>(plain, nameof(AllocationLine.Installment), nameof(AllocationLine.Principal),
            nameof(AllocationLine.Interest), nameof(AllocationLine.Penalty), nameof(AllocationLine.Fees)));
        compact.Converters.Add(new PositionalJson<PaymentAllocation>(plain));
        compact.Converters.Add(new PositionalJson<PauseInterval>(plain));
        compact.Converters.Add(new PaymentsJson(plain));
        compact.TypeInfoResolver = (plain.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(LeaveOutDefaults);
        compact.MakeReadOnly();
        built = (outer, compact);
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
                p.ShouldSerialize = (_, v) => !Equals(v, d);
    }

    /// <summary>A record's primary constructor and the value each of its parameters takes when left out.</summary>
    private static class Constructor
    {
        public static ConstructorInfo Of(Type t) => t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

        public static object? DefaultOf(ParameterInfo p) =>
            p.HasDefaultValue && p.DefaultValue is not null and not DBNull ? p.DefaultValue
            : p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? Activator.CreateInstance(p.ParameterType)
            : null;

        public static Dictionary<string, object?> Defaults(Type t) =>
            Of(t).GetParameters().ToDictionary(p => p.Name!, DefaultOf, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A record as the array of its constructor's arguments, the members named in <paramref name="first"/> first and the
    /// rest in constructor order, without the trailing ones equal to their default. The order is the stored format: a
    /// member is only ever added at the end.
    /// </summary>
    private sealed class PositionalJson<T>(JsonSerializerOptions plain, params string[] first) : JsonConverter<T>
    {
        private static readonly ConstructorInfo Ctor = Constructor.Of(typeof(T));
        private readonly ParameterInfo[] parameters = Ctor.GetParameters()
            .OrderBy(p => Array.IndexOf(first, p.Name) is var at and >= 0 ? at : first.Length + p.Position).ToArray();
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
            while (count > 0 && Equals(values[count - 1], Defaults[count - 1])) count--;
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
                    .OrderBy(p => p.PaidOn).ThenBy(p => p.RecordedAt)
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
