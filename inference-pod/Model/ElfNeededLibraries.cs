using System.Buffers.Binary;
using System.Text;

namespace Platform.InferencePod.Model;

/// <summary>
/// Reads the shared libraries an ELF file names as NEEDED (what `objdump -p | grep NEEDED`
/// prints), from its dynamic section and that section's string table. Only the headers and those
/// two sections are read, so a library of hundreds of megabytes costs a few reads.
/// </summary>
public static class ElfNeededLibraries
{
    private const uint DynamicSectionType = 6; // SHT_DYNAMIC
    private const long NeededTag = 1;          // DT_NEEDED

    public static IReadOnlyList<string> Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    public static IReadOnlyList<string> Read(Stream file, string name)
    {
        if (file.Length < 64) throw new InvalidDataException($"{name} is not an ELF file");
        var ident = ReadAt(file, 0, 64);
        if (ident[0] != 0x7F || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            throw new InvalidDataException($"{name} is not an ELF file");
        if (ident[4] != 2 || ident[5] != 1)
            throw new InvalidDataException($"{name} is not a 64-bit little-endian ELF file");

        var sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(ident.AsSpan(0x28));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(ident.AsSpan(0x3A));
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(ident.AsSpan(0x3C));
        if (sectionTable == 0 || sectionSize < 64)
            throw new InvalidDataException($"{name} has no section headers");
        if (sectionCount == 0 || sectionTable >= file.Length) throw new InvalidDataException($"{name} has no section headers");
        var sections = ReadAt(file, sectionTable, sectionSize * sectionCount);

        for (var i = 0; i < sectionCount; i++)
        {
            var header = sections.AsSpan(i * sectionSize, sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != DynamicSectionType) continue;
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            if (link <= 0 || link >= sectionCount) throw new InvalidDataException($"{name}: the dynamic section names no string table");
            var strings = sections.AsSpan(link * sectionSize, sectionSize);
            var stringTable = ReadAt(file, (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x20..]));
            var dynamic = ReadAt(file, (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]));
            return Needed(dynamic, stringTable);
        }
        return [];
    }

    private static List<string> Needed(byte[] dynamic, byte[] stringTable)
    {
        var needed = new List<string>();
        for (var offset = 0; offset + 16 <= dynamic.Length; offset += 16)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(dynamic.AsSpan(offset));
            if (tag == 0) break; // DT_NULL ends the table
            if (tag != NeededTag) continue;
            var start = (int)BinaryPrimitives.ReadUInt64LittleEndian(dynamic.AsSpan(offset + 8));
            if (start < 0 || start >= stringTable.Length) throw new InvalidDataException("a NEEDED entry points outside the string table");
            var end = Array.IndexOf(stringTable, (byte)0, start);
            needed.Add(Encoding.UTF8.GetString(stringTable, start, (end < 0 ? stringTable.Length : end) - start));
        }
        return needed;
    }

    private static byte[] ReadAt(Stream file, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > file.Length) throw new InvalidDataException("a header points past the end of the file");
        var buffer = new byte[count];
        file.Seek(offset, SeekOrigin.Begin);
        file.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer;
    }
}
