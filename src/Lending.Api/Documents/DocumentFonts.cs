using Lending.Api.Setup;
using Lending.Domain;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Lending.Api.Documents;

/// <summary>
/// The font documents are set in. It must cover Chinese: WenQuanYi Micro Hei (Debian's fonts-wqy-microhei, which
/// <c>./lending</c> installs) by default. The Skia build used here has no font lookup, so the file is named.
/// </summary>
public sealed class DocumentFonts(IOptions<LendingOptions> options, ILogger<DocumentFonts> logger)
{
    private string FontPath => options.Value.Documents.FontPath;

    /// <summary>A typeface holding just the characters of <paramref name="text"/> (the whole font if subsetting fails).</summary>
    public SKTypeface For(IEnumerable<string> text)
    {
        if (!File.Exists(FontPath))
            throw new LendingRuleViolated("documents.font_missing",
                $"The document font {FontPath} is not installed (Debian: apt-get install fonts-wqy-microhei).", RefusalKind.Unavailable);

        // Digits for page numbers, and the space and replacement glyphs every layout needs.
        var codepoints = new SortedSet<int>("0123456789 \uFFFD".Select(c => (int)c));
        foreach (var s in text)
            for (var i = 0; i < s.Length; i += char.IsSurrogatePair(s, i) ? 2 : 1)
                codepoints.Add(char.ConvertToUtf32(s, i));

        var subset = FontSubsetter.Subset(FontPath, 0, codepoints);
        if (subset is not null) return SKTypeface.FromData(SKData.CreateCopy(subset));
        logger.LogWarning("Could not subset {Font}; embedding the whole font", FontPath);
        return SKTypeface.FromFile(FontPath, 0);
    }
}
