namespace Gateway.MtaEdge.Delivery;

/// <summary>A static route: mail for <see cref="Domain"/> goes to <see cref="Targets"/>, first that works.</summary>
public sealed class DeliveryRoute
{
    /// <summary>A recipient domain (case-insensitive), or <c>*.example.com</c> for its subdomains.</summary>
    public string Domain { get; set; } = "";

    /// <summary>Targets in order of preference; the next is tried when one cannot be reached.</summary>
    public List<string> Targets { get; set; } = new();
}
