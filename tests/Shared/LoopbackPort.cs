using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>A loopback port nobody listens on right now: bound by the system, then let go.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
