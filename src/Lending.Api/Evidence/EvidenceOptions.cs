namespace Lending.Api.Evidence;

/// <summary>The <c>Lending:Evidence</c> section: the lender's sealing key, the checkpoint interval, the timestamp authority.</summary>
public sealed class EvidenceOptions
{
    /// <summary>Minutes between signed checkpoints of the sealed log (1–1440); a bundle pull seals one when it needs it.</summary>
    public int CheckpointMinutes { get; set; } = 5;
    /// <summary>The lender's sealing certificate and its private key (PEM files). Without them a development key is made.</summary>
    public string? CertificatePath { get; set; }
    public string? KeyPath { get; set; }
    /// <summary>Where the development key is generated and kept, relative to the content root.</summary>
    public string DevelopmentKeyDirectory { get; set; } = "../../.local/evidence";
    /// <summary>An RFC 3161 timestamp authority (e.g. a national time service's TSA); checkpoints are stamped when set.</summary>
    public string? TimestampAuthorityUrl { get; set; }
    /// <summary>The TSA's published certificate (PEM): a token signed by anyone else is refused. Recommended with the URL.</summary>
    public string? TimestampAuthorityCertificatePath { get; set; }
    /// <summary>How long a bundle pull waits for the sealed log to catch up with the loan's events, in seconds.</summary>
    public int SealWaitSeconds { get; set; } = 10;
}
