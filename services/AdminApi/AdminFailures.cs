using Grpc.Core;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Gateway.AdminApi;

/// <summary>
/// What a tier's failure means to the admin client, the same whether the tier runs in this process (its own
/// exceptions) or behind gRPC in a cluster (the status it answered): a bad request is 400, a tier or store that
/// cannot answer now is 503; anything else is a bug and propagates (500).
/// </summary>
public static class AdminFailures
{
    public static async Task<IResult> AnswerAsync<T>(Func<Task<T>> call, Func<T, IResult> answer)
    {
        try
        {
            return answer(await call());
        }
        catch (ArgumentException e)
        {
            return AdminResults.Error(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument)
        {
            return AdminResults.Error(StatusCodes.Status400BadRequest, e.Status.Detail);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            or StatusCode.ResourceExhausted)
        {
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable,
                "the tier did not answer (" + e.StatusCode + "); try again");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable,
                "the shared store (Redis) is unavailable; try again");
        }
    }
}
