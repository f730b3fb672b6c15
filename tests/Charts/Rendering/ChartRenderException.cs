namespace Gateway.Charts.Tests.Rendering;

/// <summary>chart-render refused the chart or the values; the message is what an operator would read.</summary>
public sealed class ChartRenderException(string message) : Exception(message);
