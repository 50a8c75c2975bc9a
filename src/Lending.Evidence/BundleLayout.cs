namespace Lending.Evidence;

/// <summary>The files of an evidence bundle. Everything outside <see cref="MetaInf"/> is content: the same loan and as-of
/// date give the same bytes; <see cref="MetaInf"/> holds what is particular to one pull.</summary>
public static class BundleLayout
{
    public const string Format = "lending-evidence-bundle/1";
    public const string Readme = "README.txt";
    public const string Statement = "statement.pdf";
    public const string Claim = "claim.json";
    public const string Ledger = "ledger.csv";
    public const string Contacts = "contacts.csv";
    public const string Events = "events.jsonl";
    public const string Proofs = "proofs.json";
    public const string Checkpoint = "checkpoint.json";
    public const string CheckpointSignature = "checkpoint.p7s";
    public const string CheckpointTimestamp = "checkpoint.tsr";
    public const string SealingCertificate = "sealing-cert.pem";
    public const string TsaCertificate = "tsa-cert.pem";
    public const string Manifest = "manifest.json";
    public const string ManifestSums = "manifest-sha256.txt";
    public const string MetaInf = "META-INF/";
    public const string Pull = "META-INF/pull.json";
    public const string PullSignature = "META-INF/pull.p7s";
    public const string PullCertificate = "META-INF/pull-cert.pem";

    /// <summary>Every name a bundle may hold; anything else (another case, a path, an extra file) is refused.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        Readme, Statement, Claim, Ledger, Contacts, Events, Proofs, Checkpoint, CheckpointSignature, CheckpointTimestamp,
        SealingCertificate, TsaCertificate, Manifest, ManifestSums, Pull, PullSignature, PullCertificate,
    };

    /// <summary>The names a bundle must hold.</summary>
    public static readonly IReadOnlyList<string> Required =
    [
        Readme, Statement, Claim, Ledger, Contacts, Events, Proofs, Checkpoint, CheckpointSignature, SealingCertificate, Manifest,
        ManifestSums, Pull, PullSignature,
    ];

    /// <summary>The members of an events.jsonl line besides the leaf's own: its hash, its log position, and either its data or afterAsOf.</summary>
    public static readonly IReadOnlySet<string> EventMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "seq", "streamId", "version", "type", "businessDate", "timestamp", "dataSha256", "prevLeaf", "leaf", "position", "data", "afterAsOf",
    };

    /// <summary>The zip entries' fixed time (the DOS epoch): no clock reaches the archive.</summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The columns of <see cref="Ledger"/>.</summary>
    public static readonly string[] LedgerColumns =
    [
        "row", "installment", "date", "reference", "status",
        "principal", "principal_paid", "principal_outstanding",
        "interest", "interest_waived", "interest_paid", "interest_not_yet_owed", "interest_outstanding",
        "penalty", "penalty_paid", "penalty_outstanding",
        "fees", "fees_paid", "fees_outstanding", "overpayment",
    ];
}
