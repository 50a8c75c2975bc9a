using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Lending.Api.Documents;

/// <summary>
/// A small flowing PDF layout on Skia's PDF backend: headings, paragraphs, label–value fields and tables on A4 pages,
/// text shaped by HarfBuzz so Chinese renders and extracts as text. Output is byte-for-byte reproducible: the document
/// dates are fixed by the caller and nothing else varies.
/// </summary>
public sealed class PdfReport(DocumentFonts fonts)
{
    private const float PageWidth = 595.28f, PageHeight = 841.89f, Margin = 50f;
    private const float ContentWidth = PageWidth - 2 * Margin;

    private readonly List<Action<Layout>> _blocks = [];
    private readonly List<string> _text = [];

    public PdfReport Heading(string text, float size = 18f) => Add([text], l => l.Text(text, size, bold: true, spaceAfter: 10f));

    public PdfReport Subheading(string text) => Add([text], l => l.Text(text, 12.5f, bold: true, spaceBefore: 8f, spaceAfter: 4f));

    public PdfReport Paragraph(string text, float size = 10f) => Add([text], l => l.Text(text, size, spaceAfter: 6f));

    public PdfReport Fields(IReadOnlyList<(string Label, string Value)> fields) =>
        Add(fields.SelectMany(f => new[] { f.Label, f.Value }), l =>
        {
            foreach (var (label, value) in fields) l.Row([label, value], [150f, ContentWidth - 150f], 10f, header: false);
            l.Space(6f);
        });

    public PdfReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<float> widths)
    {
        var scale = ContentWidth / widths.Sum();
        var columns = widths.Select(w => w * scale).ToArray();
        var body = rows.ToList();
        return Add(headers.Concat(body.SelectMany(r => r)), l =>
        {
            l.Row(headers, columns, 9f, header: true);
            foreach (var row in body) l.Row(row, columns, 9f, header: false);
            l.Space(8f);
        });
    }

    private PdfReport Add(IEnumerable<string> text, Action<Layout> block)
    {
        _text.AddRange(text);
        _blocks.Add(block);
        return this;
    }

    /// <param name="footer">Printed at the foot of every page with "n/N" (two layout passes: the first counts the pages).</param>
    public byte[] Render(string title, string subject, DateTimeOffset documentDate, string? footer = null)
    {
        if (footer is null) return Render(title, subject, documentDate, null, 0).Pdf;
        _text.Add(footer + " 0123456789/");
        var pages = Render(title, subject, documentDate, footer, 0).Pages;
        return Render(title, subject, documentDate, footer, pages).Pdf;
    }

    private (byte[] Pdf, int Pages) Render(string title, string subject, DateTimeOffset documentDate, string? footer, int totalPages)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Subject = subject,
            Creator = "Lending back office",
            Producer = "Lending back office",
            Creation = documentDate.UtcDateTime,
            Modified = documentDate.UtcDateTime,
        };
        using var typeface = fonts.For(_text);
        int pages;
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            using var layout = new Layout(document, typeface, footer, totalPages);
            foreach (var block in _blocks) block(layout);
            pages = layout.Pages;
        }
        return (stream.ToArray(), pages);
    }

    private sealed class Layout : IDisposable
    {
        private readonly SKDocument _document;
        private readonly SKTypeface _typeface;
        private readonly SKShaper _shaper;
        private readonly SKPaint _ink = new() { Color = SKColors.Black, IsAntialias = true };
        private readonly SKPaint _rule = new() { Color = new SKColor(0xB0, 0xB0, 0xB0), StrokeWidth = 0.5f };
        private SKCanvas? _canvas;
        private float _y;
        private int _page;

        private readonly string? _footer;
        private readonly int _totalPages;

        public Layout(SKDocument document, SKTypeface typeface, string? footer = null, int totalPages = 0)
        {
            _footer = footer;
            _totalPages = totalPages;
            _document = document;
            _typeface = typeface;
            _shaper = new SKShaper(typeface);
        }

        public int Pages => _page;

        public void Space(float points) => _y += points;

        public void Text(string text, float size, bool bold = false, float spaceBefore = 0f, float spaceAfter = 0f)
        {
            using var font = Font(size, bold);
            _y += spaceBefore;
            foreach (var line in Wrap(text, font, ContentWidth))
            {
                EnsureRoom(size * 1.4f);
                _y += size * 1.4f;
                _canvas!.DrawShapedText(_shaper, line, Margin, _y, SKTextAlign.Left, font, _ink);
            }
            _y += spaceAfter;
        }

        public void Row(IReadOnlyList<string> cells, IReadOnlyList<float> widths, float size, bool header)
        {
            using var font = Font(size, header);
            var wrapped = cells.Select((c, i) => Wrap(c, font, widths[i] - 6f)).ToList();
            var lines = Math.Max(1, wrapped.Max(w => w.Count));
            var height = lines * size * 1.35f + 4f;
            EnsureRoom(height);
            var x = Margin;
            for (var c = 0; c < cells.Count; c++)
            {
                for (var l = 0; l < wrapped[c].Count; l++)
                    _canvas!.DrawShapedText(_shaper, wrapped[c][l], x + 2f, _y + (l + 1) * size * 1.35f, SKTextAlign.Left, font, _ink);
                x += widths[c];
            }
            _y += height;
            _canvas!.DrawLine(Margin, _y, Margin + widths.Sum(), _y, _rule);
        }

        private SKFont Font(float size, bool bold) => new(_typeface, size) { Embolden = bold, Subpixel = true };

        private void EnsureRoom(float height)
        {
            if (_canvas is not null && _y + height <= PageHeight - Margin) return;
            if (_canvas is not null) _document.EndPage();
            _canvas = _document.BeginPage(PageWidth, PageHeight);
            _page++;
            _y = Margin;
            using var small = Font(7.5f, false);
            _canvas.DrawShapedText(_shaper, _footer is null ? $"{_page}" : $"{_page}/{_totalPages}", PageWidth - Margin, PageHeight - Margin / 2,
                SKTextAlign.Right, small, _ink);
            if (_footer is not null) _canvas.DrawShapedText(_shaper, _footer, Margin, PageHeight - Margin / 2, SKTextAlign.Left, small, _ink);
        }

        /// <summary>Greedy line breaking: at spaces where there are any, else between characters (Chinese).</summary>
        private List<string> Wrap(string text, SKFont font, float width)
        {
            var result = new List<string>();
            foreach (var paragraph in text.Replace("\r", "").Split('\n'))
            {
                var line = "";
                foreach (var token in Tokens(paragraph))
                {
                    var candidate = line + token;
                    if (line.Length > 0 && Measure(candidate, font) > width)
                    {
                        result.Add(line.TrimEnd());
                        line = token.TrimStart();
                        while (line.Length > 1 && Measure(line, font) > width)
                        {
                            var cut = line.Length - 1;
                            while (cut > 1 && Measure(line[..cut], font) > width) cut--;
                            result.Add(line[..cut]);
                            line = line[cut..];
                        }
                    }
                    else line = candidate;
                }
                result.Add(line.TrimEnd());
            }
            return result;
        }

        private static IEnumerable<string> Tokens(string text)
        {
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var cjk = text[i] >= 0x2E80;
                if (text[i] == ' ' || cjk)
                {
                    if (i > start) yield return text[start..i];
                    yield return text[i].ToString();
                    start = i + 1;
                }
            }
            if (start < text.Length) yield return text[start..];
        }

        private float Measure(string text, SKFont font) => _shaper.Shape(text, font).Width;

        public void Dispose()
        {
            if (_canvas is not null) _document.EndPage();
            _shaper.Dispose();
            _ink.Dispose();
            _rule.Dispose();
        }
    }
}
