using System.Security.Cryptography.X509Certificates;
using Lending.Evidence;

// verify-bundle FILE.zip [--cert lender.pem] [--tsa-cert tsa.pem] [--quiet]
// Exit 0 when every check holds; 1 naming each failure; 2 on a usage error.
var files = args.Where(a => !a.StartsWith("--")).ToList();
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
if (files.Count == 0 || args.Contains("--help"))
{
    Console.Error.WriteLine("usage: verify-bundle FILE.zip [--cert lender-cert.pem] [--tsa-cert tsa-cert.pem] [--quiet]");
    return 2;
}
var options = new HashSet<string?> { Option("--cert"), Option("--tsa-cert") };
var bundle = files.First(f => !options.Contains(f));
if (!File.Exists(bundle))
{
    Console.Error.WriteLine($"no such file: {bundle}");
    return 2;
}
X509Certificate2? Load(string? path) => path is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(path));

var report = BundleVerifier.Verify(File.ReadAllBytes(bundle), Load(Option("--cert")), Load(Option("--tsa-cert")));
if (!args.Contains("--quiet"))
    foreach (var line in report.Passed) Console.WriteLine($"  ok    {line}");
foreach (var line in report.Failures) Console.WriteLine($"  FAIL  {line}");
Console.WriteLine(report.Holds
    ? $"{bundle}: every check holds ({report.Passed.Count})."
    : $"{bundle}: {report.Failures.Count} failure(s).");
return report.Holds ? 0 : 1;
