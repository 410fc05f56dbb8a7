using System.Security.Cryptography;

namespace Platform.InferencePod.Jobs;

/// <summary>Job ids: 128 random bits as 32 lowercase hex digits, so they can neither collide nor be guessed.</summary>
public static class JobId
{
    public const int Length = 32;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>True when <paramref name="id"/> has the form of a job id (checked before any lookup).</summary>
    public static bool IsWellFormed(string id) => id.Length == Length && id.All(char.IsAsciiHexDigitLower);
}
