namespace Gateway.RetroRemediation.Cache;

/// <summary>Why a copy is never touched, decided when it is recorded. Stored in 2 bits: never renumber.</summary>
public enum CopyExemption : byte
{
    None = 0,
    SafeSender = 1,
    AllowListedClient = 2,
}
