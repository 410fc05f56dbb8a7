namespace Platform.Operator.Runtime;

/// <summary>Watches end on the server's side after a randomised few minutes (as client-go does), then resume.</summary>
public static class WatchTimeout
{
    public static int Seconds() => 240 + Random.Shared.Next(120);
}
