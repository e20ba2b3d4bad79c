using System.Numerics;

namespace DiffOp.Environments.Voltage;

/// <summary>
/// Damped Newton–Raphson power flow on a dense bus admittance matrix (slack = bus 0, all other buses PQ),
/// in polar coordinates x = [θ_1..θ_{n−1}, |V|_1..|V|_{n−1}]. Mismatch F = S_calc − S_spec with
/// S_calc = V ∘ conj(Y V); Jacobian from ∂S/∂θ = j·diag(V)·conj(diag(I) − Y·diag(V)) and
/// ∂S/∂|V| = diag(V)·conj(Y·diag(V/|V|)) + conj(diag(I))·diag(V/|V|). Each Newton step is halved until
/// the largest mismatch decreases; if ten halvings do not help the solve stops (no solution nearby).
/// All buffers are allocated by the constructor.
/// </summary>
internal sealed class NewtonRaphsonPowerFlow
{
    private const int MaxHalvings = 10;

    private readonly int _n;     // buses
    private readonly int _m;     // unknowns = 2(n − 1)
    private readonly Complex[] _y; // n×n admittance, row-major
    private readonly Complex[] _v;
    private readonly Complex[] _current;
    private readonly Complex[] _spec;
    private readonly double[] _angle;
    private readonly double[] _magnitude;
    private readonly double[] _trialAngle;
    private readonly double[] _trialMagnitude;
    private readonly double[] _mismatch;
    private readonly double[] _jacobian; // m×m, row-major
    private readonly double[] _step;
    private readonly int[] _pivot;

    public NewtonRaphsonPowerFlow(int busCount, IReadOnlyList<FeederBranch> branches)
    {
        _n = busCount;
        _m = 2 * (busCount - 1);
        _y = new Complex[_n * _n];
        foreach (var b in branches)
        {
            var y = Complex.One / new Complex(b.Resistance, b.Reactance);
            _y[(b.From * _n) + b.From] += y;
            _y[(b.To * _n) + b.To] += y;
            _y[(b.From * _n) + b.To] -= y;
            _y[(b.To * _n) + b.From] -= y;
        }

        _v = new Complex[_n];
        _current = new Complex[_n];
        _spec = new Complex[_n];
        _angle = new double[_n];
        _magnitude = new double[_n];
        _trialAngle = new double[_n];
        _trialMagnitude = new double[_n];
        _mismatch = new double[_m];
        _jacobian = new double[_m * _m];
        _step = new double[_m];
        _pivot = new int[_m];
    }

    /// <summary>Solves from a flat start; <paramref name="specifiedPower"/> in p.u. (generation positive).</summary>
    public PowerFlowResult Solve(ReadOnlySpan<Complex> specifiedPower, PowerFlowOptions options, Span<double> voltageMagnitudes)
    {
        specifiedPower.CopyTo(_spec);
        Array.Fill(_angle, 0.0);
        Array.Fill(_magnitude, 1.0);
        double norm = Mismatch(_angle, _magnitude);
        for (int iteration = 0; iteration <= options.MaxIterations; iteration++)
        {
            if (!double.IsFinite(norm))
            {
                return Finish(PowerFlowStatus.Diverged, iteration, norm, voltageMagnitudes);
            }

            if (norm < options.Tolerance)
            {
                return Finish(PowerFlowStatus.Converged, iteration, norm, voltageMagnitudes);
            }

            if (iteration == options.MaxIterations)
            {
                break;
            }

            BuildJacobian();
            if (!Factorize())
            {
                return Finish(PowerFlowStatus.Diverged, iteration + 1, norm, voltageMagnitudes);
            }

            BackSubstitute();
            double t = 1.0, trialNorm = double.PositiveInfinity;
            for (int halving = 0; halving <= MaxHalvings; halving++, t *= 0.5)
            {
                for (int k = 1; k < _n; k++)
                {
                    _trialAngle[k] = _angle[k] - (t * _step[k - 1]);
                    _trialMagnitude[k] = _magnitude[k] - (t * _step[_n - 2 + k]);
                }

                trialNorm = Mismatch(_trialAngle, _trialMagnitude);
                if (trialNorm < norm)
                {
                    break;
                }
            }

            if (!(trialNorm < norm))
            {
                // The mismatch cannot be reduced along the Newton direction: no solution nearby.
                return Finish(PowerFlowStatus.Diverged, iteration + 1, norm, voltageMagnitudes);
            }

            (_trialAngle.AsSpan(1)).CopyTo(_angle.AsSpan(1));
            (_trialMagnitude.AsSpan(1)).CopyTo(_magnitude.AsSpan(1));
            norm = trialNorm;
            for (int k = 1; k < _n; k++)
            {
                if (!(_magnitude[k] >= options.MinVoltage && _magnitude[k] <= options.MaxVoltage))
                {
                    return Finish(PowerFlowStatus.Diverged, iteration + 1, norm, voltageMagnitudes);
                }
            }
        }

        return Finish(PowerFlowStatus.IterationLimit, options.MaxIterations, norm, voltageMagnitudes);
    }

    private PowerFlowResult Finish(PowerFlowStatus status, int iterations, double mismatch, Span<double> voltageMagnitudes)
    {
        for (int k = 0; k < _n; k++)
        {
            voltageMagnitudes[k] = status == PowerFlowStatus.Converged ? _magnitude[k] : double.NaN;
        }

        return new PowerFlowResult(status, iterations, mismatch, PowerFlowMethod.NewtonRaphson);
    }

    /// <summary>Sets V from (θ, |V|), I = Y V, the mismatch vector, and returns its largest magnitude.</summary>
    private double Mismatch(double[] angle, double[] magnitude)
    {
        _v[0] = Complex.One;
        for (int k = 1; k < _n; k++)
        {
            _v[k] = Complex.FromPolarCoordinates(magnitude[k], angle[k]);
        }

        double norm = 0;
        bool nonFinite = false;
        for (int k = 0; k < _n; k++)
        {
            Complex sum = Complex.Zero;
            int row = k * _n;
            for (int j = 0; j < _n; j++)
            {
                sum += _y[row + j] * _v[j];
            }

            _current[k] = sum;
            if (k == 0)
            {
                continue;
            }

            var s = (_v[k] * Complex.Conjugate(sum)) - _spec[k];
            _mismatch[k - 1] = s.Real;
            _mismatch[_n - 2 + k] = s.Imaginary;
            double a = Math.Max(Math.Abs(s.Real), Math.Abs(s.Imaginary));
            if (!double.IsFinite(a))
            {
                nonFinite = true;
            }
            else if (a > norm)
            {
                norm = a;
            }
        }

        return nonFinite ? double.NaN : norm;
    }

    private void BuildJacobian()
    {
        int h = _n - 1;
        for (int r = 1; r < _n; r++)
        {
            var vr = _v[r];
            for (int c = 1; c < _n; c++)
            {
                var yrc = _y[(r * _n) + c];
                var unit = _v[c] / _magnitude[c];

                // ∂S_r/∂θ_c = j V_r conj(δ_rc I_r − Y_rc V_c)
                var dTheta = Complex.ImaginaryOne * vr * Complex.Conjugate((r == c ? _current[r] : Complex.Zero) - (yrc * _v[c]));

                // ∂S_r/∂|V|_c = V_r conj(Y_rc V_c/|V_c|) + δ_rc conj(I_r) V_r/|V_r|
                var dMag = (vr * Complex.Conjugate(yrc * unit)) + (r == c ? Complex.Conjugate(_current[r]) * unit : Complex.Zero);

                int pr = r - 1, qr = h + r - 1, tc = c - 1, mc = h + c - 1;
                _jacobian[(pr * _m) + tc] = dTheta.Real;
                _jacobian[(pr * _m) + mc] = dMag.Real;
                _jacobian[(qr * _m) + tc] = dTheta.Imaginary;
                _jacobian[(qr * _m) + mc] = dMag.Imaginary;
            }
        }
    }

    /// <summary>In-place LU with partial pivoting; false when singular or non-finite.</summary>
    private bool Factorize()
    {
        int m = _m;
        for (int k = 0; k < m; k++)
        {
            int p = k;
            double best = Math.Abs(_jacobian[(k * m) + k]);
            for (int i = k + 1; i < m; i++)
            {
                double a = Math.Abs(_jacobian[(i * m) + k]);
                if (a > best)
                {
                    best = a;
                    p = i;
                }
            }

            if (!(best > 1e-14) || !double.IsFinite(best))
            {
                return false;
            }

            _pivot[k] = p;
            if (p != k)
            {
                for (int j = 0; j < m; j++)
                {
                    (_jacobian[(k * m) + j], _jacobian[(p * m) + j]) = (_jacobian[(p * m) + j], _jacobian[(k * m) + j]);
                }
            }

            double inv = 1.0 / _jacobian[(k * m) + k];
            for (int i = k + 1; i < m; i++)
            {
                double f = _jacobian[(i * m) + k] * inv;
                _jacobian[(i * m) + k] = f;
                if (f == 0)
                {
                    continue;
                }

                for (int j = k + 1; j < m; j++)
                {
                    _jacobian[(i * m) + j] -= f * _jacobian[(k * m) + j];
                }
            }
        }

        return true;
    }

    /// <summary>Solves J step = mismatch with the factors (the caller subtracts the step).</summary>
    private void BackSubstitute()
    {
        int m = _m;
        _mismatch.CopyTo(_step, 0);
        for (int k = 0; k < m; k++)
        {
            int p = _pivot[k];
            if (p != k)
            {
                (_step[k], _step[p]) = (_step[p], _step[k]);
            }
        }

        for (int k = 0; k < m; k++)
        {
            for (int i = k + 1; i < m; i++)
            {
                _step[i] -= _jacobian[(i * m) + k] * _step[k];
            }
        }

        for (int k = m - 1; k >= 0; k--)
        {
            double sum = _step[k];
            for (int j = k + 1; j < m; j++)
            {
                sum -= _jacobian[(k * m) + j] * _step[j];
            }

            _step[k] = sum / _jacobian[(k * m) + k];
        }
    }
}
