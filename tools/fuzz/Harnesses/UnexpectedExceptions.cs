namespace Gateway.Fuzz.Harnesses;

/// <summary>
/// Exception types that mean a programming error when hostile content provokes them: a parser may refuse
/// content (FormatException, its own parse errors) but must never index out of range or dereference null.
/// </summary>
public static class UnexpectedExceptions
{
    public static bool IsBug(Exception exception) =>
        exception is IndexOutOfRangeException or ArgumentException or NullReferenceException
            or InvalidOperationException or OverflowException or InvalidCastException or DivideByZeroException
            or KeyNotFoundException or OutOfMemoryException or NotSupportedException or NotImplementedException
            or AccessViolationException
        || (exception.InnerException is { } inner && IsBug(inner));
}
