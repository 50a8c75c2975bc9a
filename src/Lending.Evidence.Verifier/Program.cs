using System.Security.Cryptography.X509Certificates;
using Lending.Evidence;

// verify-bundle FILE.zip --cert lender.pem [--cert older-lender.pem] [--tsa-cert tsa.pem] [--quiet]
// Exit 0 when every check holds; 1 naming each failure; 2 on a usage error.
const string Usage = "usage: verify-bundle FILE.zip --cert lender-cert.pem [--cert ...] [--tsa-cert tsa-cert.pem] [--quiet]\n" +
                     "  --cert      the lender's published certificate (more than one across a key rotation); required\n" +
                     "  --tsa-cert  the timestamp authority's published certificate";
var certs = new List<string>();
string? tsa = null, bundle = null;
var quiet = false;
for (var i = 0; i < args.Length; i++)
{
    var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--") ? (n, v) : (args[i], null);
    string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a file"));
    try
    {
        switch (name)
        {
            case "--cert": certs.Add(Value()); break;
            case "--tsa-cert": tsa = Value(); break;
            case "--quiet": quiet = true; break;
            case "--help": Console.Error.WriteLine(Usage); return 2;
            case var option when option.StartsWith('-'): throw new ArgumentException($"unknown option {option}");
            default:
                if (bundle is not null) throw new ArgumentException($"one bundle at a time ({bundle}, {name})");
                bundle = name;
                break;
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"{e.Message}\n{Usage}");
        return 2;
    }
}
if (bundle is null || certs.Count == 0)
{
    Console.Error.WriteLine((bundle is null ? "no bundle given" : "no --cert: a signature proves something only against the lender's own certificate") +
                            $"\n{Usage}");
    return 2;
}
foreach (var file in certs.Append(tsa).Prepend(bundle).OfType<string>().Where(f => !File.Exists(f)))
{
    Console.Error.WriteLine($"no such file: {file}");
    return 2;
}

var report = BundleVerifier.Verify(File.ReadAllBytes(bundle), certs.Select(c => X509Certificate2.CreateFromPem(File.ReadAllText(c))).ToList(),
    tsa is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(tsa)));
foreach (var line in report.Passed.Where(p => !quiet || p.StartsWith("note:"))) Console.WriteLine($"  ok    {line}");
foreach (var line in report.Failures) Console.WriteLine($"  FAIL  {line}");
Console.WriteLine(report.Holds
    ? $"{bundle}: every check holds ({report.Passed.Count})."
    : $"{bundle}: {report.Failures.Count} failure(s).");
return report.Holds ? 0 : 1;
