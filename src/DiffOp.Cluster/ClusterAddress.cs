using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DiffOp.Cluster;

/// <summary>Reads HOST:PORT endpoints (IPv4/IPv6 literals or host names) as the cluster options write them.</summary>
public static class ClusterAddress
{
    /// <summary>Parses <c>HOST:PORT</c>, resolving a host name to its first address.</summary>
    /// <param name="text">The endpoint, e.g. 127.0.0.1:30000 or [::1]:30000.</param>
    /// <param name="option">The option the text came from, for the message (e.g. --cluster).</param>
    /// <exception cref="ArgumentException">The text is not HOST:PORT, the port is outside 1..65535, or the host does not resolve.</exception>
    public static IPEndPoint Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new ArgumentException($"{option}: expected HOST:PORT (e.g. 127.0.0.1:30000), got '{text}'.");
        string host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"{option}: the port of '{text}' must be a number in 1..65535.");
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                         ?? throw new ArgumentException($"{option}: the host '{host}' has no address.");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException ex)
        {
            throw new ArgumentException($"{option}: the host '{host}' does not resolve ({ex.Message}); give an IP address or a resolvable name.", ex);
        }
    }

    /// <summary>Parses a comma-separated list of <c>HOST:PORT</c> endpoints (at least one).</summary>
    public static IPEndPoint[] ParseList(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException($"{option}: expected HOST:PORT[,HOST:PORT…], got '{text}'.");
        return parts.Select(p => Parse(p, option)).ToArray();
    }
}
