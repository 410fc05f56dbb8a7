using System.Text;

namespace Platform.InferencePod.Tests.Support;

/// <summary>The fuzz tests' damage to a valid JSON body: deletions, insertions of protocol fragments, character flips, truncation.</summary>
public static class JsonMutation
{
    public static byte[] Mutate(string valid, int edits, Random random, IReadOnlyList<string> fragments)
    {
        var body = new StringBuilder(valid);
        for (var e = 0; e < edits && body.Length > 0; e++)
        {
            var at = random.Next(body.Length);
            switch (random.Next(4))
            {
                case 0: body.Remove(at, Math.Min(random.Next(1, 12), body.Length - at)); break;
                case 1: body.Insert(at, fragments[random.Next(fragments.Count)]); break;
                case 2: body[at] = (char)random.Next(32, 127); break;
                default: body.Length = at; break;
            }
        }
        return Encoding.UTF8.GetBytes(body.ToString());
    }
}
