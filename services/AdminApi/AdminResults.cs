using Gateway.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Gateway.AdminApi;

/// <summary>Admin API responses: protobuf messages in the proto3 JSON mapping.</summary>
public static class AdminResults
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static IResult Json(IMessage message, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(Formatter.Format(message), "application/json", System.Text.Encoding.UTF8, statusCode);

    public static IResult Error(int statusCode, string error) => Json(new ApiError { Error = error }, statusCode);
}
