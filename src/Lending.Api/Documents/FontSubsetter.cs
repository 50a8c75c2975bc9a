using System.Runtime.InteropServices;

namespace Lending.Api.Documents;

/// <summary>
/// Cuts a font down to the characters a document uses, with HarfBuzz's subsetter (exported by the libHarfBuzzSharp
/// that SkiaSharp.HarfBuzz ships). Skia embeds whole fonts, and a CJK font is megabytes; a subset certificate is tens
/// of kilobytes with the same pixels and the same extractable text.
/// </summary>
internal static partial class FontSubsetter
{
    private const string HarfBuzz = "libHarfBuzzSharp";

    /// <returns>The subset font as a single-face TrueType file, or null if HarfBuzz could not subset it.</returns>
    public static byte[]? Subset(string fontPath, int faceIndex, IEnumerable<int> codepoints)
    {
        var blob = hb_blob_create_from_file(fontPath);
        var face = hb_face_create(blob, (uint)faceIndex);
        var input = hb_subset_input_create_or_fail();
        try
        {
            if (input == IntPtr.Zero) return null;
            var unicodes = hb_subset_input_unicode_set(input);
            foreach (var cp in codepoints) hb_set_add(unicodes, (uint)cp);

            var subset = hb_subset_or_fail(face, input);
            if (subset == IntPtr.Zero) return null;
            var subsetBlob = hb_face_reference_blob(subset);
            try
            {
                var data = hb_blob_get_data(subsetBlob, out var length);
                if (data == IntPtr.Zero || length == 0) return null;
                var bytes = new byte[length];
                Marshal.Copy(data, bytes, 0, (int)length);
                return bytes;
            }
            finally
            {
                hb_blob_destroy(subsetBlob);
                hb_face_destroy(subset);
            }
        }
        finally
        {
            if (input != IntPtr.Zero) hb_subset_input_destroy(input);
            hb_face_destroy(face);
            hb_blob_destroy(blob);
        }
    }

    [LibraryImport(HarfBuzz, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr hb_blob_create_from_file(string fileName);
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_face_create(IntPtr blob, uint index);
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_subset_input_create_or_fail();
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);
    [LibraryImport(HarfBuzz)] private static partial void hb_set_add(IntPtr set, uint codepoint);
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_face_reference_blob(IntPtr face);
    [LibraryImport(HarfBuzz)] private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);
    [LibraryImport(HarfBuzz)] private static partial void hb_blob_destroy(IntPtr blob);
    [LibraryImport(HarfBuzz)] private static partial void hb_face_destroy(IntPtr face);
    [LibraryImport(HarfBuzz)] private static partial void hb_subset_input_destroy(IntPtr input);
}
