namespace Platform.InferencePod.Preprocessing;

/// <summary>
/// Walks a JPEG's marker segments from the start of image to its first scan and checks that
/// each lies wholly inside the data. StbImageSharp does not stop at the end of data in some
/// truncated headers (it spins forever, e.g. on <c>FF D8 FF E0 00 10</c>), so no header reaches
/// it before passing this check.
/// </summary>
public static class JpegStructure
{
    /// <summary>Null when the headers up to the first scan are whole; otherwise what is wrong.</summary>
    public static string? FindProblem(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return "it does not start with a JPEG start-of-image marker";
        var at = 2;
        var frame = false;
        while (true)
        {
            if (at >= data.Length) return "it ends before its image data";
            if (data[at] != 0xFF) return $"byte {at} should start a marker";
            while (at < data.Length && data[at] == 0xFF) at++; // fill bytes
            if (at >= data.Length) return "it ends inside a marker";
            var marker = data[at++];
            switch (marker)
            {
                case 0x00:
                    return $"byte {at - 2} is a stray 0xFF";
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    continue; // markers without a segment
                case 0xD8 or 0xD9:
                    return "it has no image data before its end";
            }
            if (data.Length - at < 2) return "it ends inside a marker's length";
            var length = (data[at] << 8) | data[at + 1];
            if (length < 2) return $"the marker at byte {at - 2} has an invalid length";
            if (data.Length - at < length) return $"it ends inside the segment of marker 0x{marker:X2}";
            // Start-of-frame markers (C0-CF except DHT C4, JPG C8, DAC CC) carry the image size.
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC)) frame = true;
            if (marker == 0xDA) return frame ? null : "its image data comes before its frame header";
            at += length;
        }
    }
}
