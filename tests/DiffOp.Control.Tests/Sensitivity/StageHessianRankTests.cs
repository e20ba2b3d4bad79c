using DiffOp.Control.Sensitivity;

namespace DiffOp.Control.Tests.Sensitivity;

public class StageHessianRankTests
{
    [Test]
    public void IsSingular_RankDeficientZeroAndRegularBlocks()
    {
        Assert.That(StageHessianRank.IsSingular([1, 0, 0, 0], 2), Is.True, "diag(1, 0)");
        Assert.That(StageHessianRank.IsSingular([0, 0, 0, 0], 2), Is.True, "zero block");
        Assert.That(StageHessianRank.IsSingular([1, 1, 1, 1], 2), Is.True, "rank one, no zero on the diagonal");
        Assert.That(StageHessianRank.IsSingular([2, 1, 1, 2], 2), Is.False);
        Assert.That(StageHessianRank.IsSingular([1, 0, 0, -3], 2), Is.False, "indefinite but nonsingular");
    }

    [Test]
    public void IsSingular_UsesRelativeTolerance()
    {
        Assert.That(StageHessianRank.IsSingular([1, 0, 0, 1e-12], 2), Is.True, "σ_min/σ_max = 1e-12 ≤ 1e-10");
        Assert.That(StageHessianRank.IsSingular([1e-12, 0, 0, 1e-12], 2), Is.False, "small but well conditioned");
        Assert.That(StageHessianRank.IsSingular([1, 0, 0, 1e-6], 2, relativeTolerance: 1e-5), Is.True);
    }

    [Test]
    public void IsSingular_WrongSize_Throws() =>
        Assert.Throws<ArgumentException>(() => StageHessianRank.IsSingular([1, 0, 0], 2));
}
