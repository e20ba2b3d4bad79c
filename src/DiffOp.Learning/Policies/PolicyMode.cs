namespace DiffOp.Learning.Policies;

/// <summary>How the optimization policy acts (paper §5).</summary>
public enum PolicyMode
{
    /// <summary>Re-plan at every step with horizon H and apply the first planned action (h = 1, receding horizon).</summary>
    Step,
    /// <summary>Plan once per episode with H = T and apply the whole plan open loop.</summary>
    Traj,
}
