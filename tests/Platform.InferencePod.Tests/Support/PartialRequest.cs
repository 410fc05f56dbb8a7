using System.Net.Sockets;
using System.Text;

namespace Platform.InferencePod.Tests.Support;

/// <summary>
/// An HTTP/1.1 request that announces a large body and sends only its first bytes, over a raw
/// socket: an answer proves the server decided without reading the body.
/// </summary>
public static class PartialRequest
{
    /// <summary>Sends the head and a fragment of the body, then reads the answer's status code and body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string path, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cancel.Token);
        var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{\"inputs\":[";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancel.Token);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = ContentLength(text[..end]);
                if (text.Length - end - 4 >= length) return (int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text.Substring(end + 4, length));
            }
            var read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0) throw new IOException("the server closed the connection without a complete answer: " + text);
            received.Write(buffer, 0, read);
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
