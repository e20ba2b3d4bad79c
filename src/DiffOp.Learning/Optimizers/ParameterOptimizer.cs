namespace DiffOp.Learning.Optimizers;

/// <summary>Which update rule trains θ.</summary>
public enum OptimizerKind
{
    /// <summary>Plain gradient descent θ ← θ − η ĝ (the paper's rule; η = 0.1 by default).</summary>
    Sgd,
    /// <summary>Adam (Kingma &amp; Ba) with β₁ = 0.9, β₂ = 0.999, ε = 1e-8.</summary>
    Adam,
}

/// <summary>
/// An update rule with serializable state (for exact resume from a checkpoint). <see cref="TryStep"/> never
/// writes a non-finite θ: a non-finite gradient or step leaves θ (and the state) unchanged and returns false.
/// </summary>
public sealed class ParameterOptimizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>Creates an optimizer for d parameters.</summary>
    public ParameterOptimizer(OptimizerKind kind, double learningRate, int parameterCount, double? gradientClipNorm = null)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate η must be positive and finite.");
        if (gradientClipNorm is { } c && !(c > 0))
            throw new ArgumentOutOfRangeException(nameof(gradientClipNorm), c, "The gradient clip norm must be positive.");
        Kind = kind;
        LearningRate = learningRate;
        GradientClipNorm = gradientClipNorm;
        FirstMoment = new double[parameterCount];
        SecondMoment = new double[parameterCount];
    }

    /// <summary>The rule.</summary>
    public OptimizerKind Kind { get; }
    /// <summary>η.</summary>
    public double LearningRate { get; }
    /// <summary>If set, ĝ is scaled down to this Euclidean norm before the update.</summary>
    public double? GradientClipNorm { get; }
    /// <summary>Adam's m (zeros for SGD).</summary>
    public double[] FirstMoment { get; private set; }
    /// <summary>Adam's v (zeros for SGD).</summary>
    public double[] SecondMoment { get; private set; }
    /// <summary>Updates applied so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Restores state saved in a checkpoint.</summary>
    public void Restore(double[] firstMoment, double[] secondMoment, int stepCount)
    {
        if (firstMoment.Length != FirstMoment.Length || secondMoment.Length != SecondMoment.Length)
            throw new ArgumentException($"The optimizer state has {firstMoment.Length} entries; θ has {FirstMoment.Length}.");
        FirstMoment = (double[])firstMoment.Clone();
        SecondMoment = (double[])secondMoment.Clone();
        StepCount = stepCount;
    }

    /// <summary>Applies one update to θ in place; false (and no change) when the gradient or the step is not finite.</summary>
    public bool TryStep(Span<double> theta, ReadOnlySpan<double> gradient)
    {
        if (gradient.Length != theta.Length) throw new ArgumentException($"ĝ has length {gradient.Length}; θ has {theta.Length}.", nameof(gradient));
        double norm = Norm(gradient);
        if (!double.IsFinite(norm)) return false;
        double scale = GradientClipNorm is { } clip && norm > clip ? clip / norm : 1.0;
        var next = new double[theta.Length];
        var m = (double[])FirstMoment.Clone();
        var v = (double[])SecondMoment.Clone();
        int t = StepCount + 1;
        for (int i = 0; i < theta.Length; i++)
        {
            double g = gradient[i] * scale;
            if (Kind == OptimizerKind.Sgd) next[i] = theta[i] - LearningRate * g;
            else
            {
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Beta1, t)), vHat = v[i] / (1 - Math.Pow(Beta2, t));
                next[i] = theta[i] - LearningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
            }
            if (!double.IsFinite(next[i])) return false;
        }
        next.CopyTo(theta);
        FirstMoment = m;
        SecondMoment = v;
        StepCount = t;
        return true;
    }

    /// <summary>Euclidean norm.</summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return Math.Sqrt(s);
    }
}
