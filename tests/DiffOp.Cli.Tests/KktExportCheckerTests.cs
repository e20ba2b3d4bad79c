using System.Text.Json;
using System.Text.Json.Nodes;
using DiffOp.Control.Nlp;
using DiffOp.Control.OptimalControl;
using DiffOp.Interop.Ipopt;

namespace DiffOp.Cli.Tests;

/// <summary>
/// <c>export-kkt --jacobian</c> end to end: the exported Jacobian against tools/python/check_kkt.py (which rebuilds it
/// from the exported blocks with numpy) and against central finite differences of re-solved OCPs.
/// </summary>
[Category("Native")]
public class KktExportCheckerTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        if (!IpoptLibrary.IsAvailable()) Assert.Ignore("Ipopt is not installed here.");
        _folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"kkt-check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private string Export(string name, params string[] args)
    {
        string path = Path.Combine(_folder, name + ".json");
        var (code, _, err) = CliRunner.Run(["export-kkt", .. args, "--jacobian", "--out", path]);
        Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
        return path;
    }

    [TestCase("boxlqr")]
    [TestCase("cartpole", "--set", "u_max=1")]   // u_max = 1 saturates the first controls: active lower bounds
    [TestCase("voltage")]
    public void Checker_RebuildsExportedJacobian(string problem, params string[] extra)
    {
        string path = Export(problem, [problem, .. extra]);
        using (var doc = JsonDocument.Parse(File.ReadAllText(path)))
        {
            var root = doc.RootElement;
            int n = root.GetProperty("state_count").GetInt32(), d = root.GetProperty("parameter_count").GetInt32();
            var jacobian = root.GetProperty("jacobian");
            Assert.That(jacobian.GetArrayLength(), Is.EqualTo(root.GetProperty("zeta").GetArrayLength()), "one row per entry of ζ*");
            Assert.That(jacobian[0].GetArrayLength(), Is.EqualTo(d + n), "columns θ then x_init");
            if (problem == "cartpole")
                Assert.That(root.GetProperty("active_set").GetArrayLength(), Is.GreaterThan(0), "the cart-pole case must have an active bound");
        }
        var (code, output, err) = PythonChecker.Check(path);
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("PASSED"));
    }

    [Test]
    public void Checker_CorruptedBlockEntry_Fails()
    {
        string path = Export("boxlqr", "boxlqr");
        Assert.That(PythonChecker.Check(path).Code, Is.EqualTo(0), "the untouched export passes");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        int n = (int)root["state_count"]!;
        var stages = root["stages"]!.AsArray();
        // A control row of B at a stage without active rows: there B moves dζ (on x₀ rows or at an active bound the
        // change would only move a multiplier).
        int t = Enumerable.Range(1, stages.Count - 1).First(s => stages[s]!["active_rows"]!.AsArray().Count == 0);
        var row = stages[t]!["B"]![n]!.AsArray();
        double value = (double)row[0]!;
        row[0] = value + 1e-3 * Math.Max(1.0, Math.Abs(value));
        File.WriteAllText(path, root.ToJsonString());
        var (code, output, err) = PythonChecker.Check(path);
        Assert.That(code, Is.EqualTo(1), $"stage {t} B[{n}][0] changed; checker said: {output}{err}");
        Assert.That(output, Does.Contain("FAILED"));
    }

    [Test]
    public void Checker_ExportWithoutJacobian_IsReportedNotPassed()
    {
        string path = Path.Combine(_folder, "plain.json");
        Assert.That(CliRunner.Run("export-kkt", "boxlqr", "--out", path).Code, Is.EqualTo(DiffOpCli.Success));
        var (code, _, err) = PythonChecker.Check(path);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--jacobian"));
    }

    [Test]
    public void Export_RecordsSettingsOverridesToleranceAndSingularStages()
    {
        string path = Export("cartpole", "cartpole", "--set", "u_max=1", "--set", "dt=0.05", "--theta", "init", "--x0", "0,0,0.1,0", "--horizon", "5", "--tol", "1e-9");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("settings").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "u_max=1", "dt=0.05" }));
        Assert.That(root.GetProperty("theta_source").GetString(), Is.EqualTo("init"));
        Assert.That(root.GetProperty("x0_override").EnumerateArray().Select(e => e.GetDouble()), Is.EqualTo(new[] { 0, 0, 0.1, 0 }));
        Assert.That(root.GetProperty("horizon_override").GetInt32(), Is.EqualTo(5));
        Assert.That(root.GetProperty("horizon").GetInt32(), Is.EqualTo(5));
        Assert.That(root.GetProperty("tolerance").GetDouble(), Is.EqualTo(1e-9));
        Assert.That(root.GetProperty("singular_stages").GetArrayLength(), Is.EqualTo(0), "cart-pole stage Hessians are nonsingular");
        Assert.That(root.GetProperty("weakly_active").ValueKind, Is.EqualTo(JsonValueKind.Array));

        // boxlqr's state weight Q = diag(1, 0, 0.5) is singular: every D_t = diag(Q, R) and D_H are singular.
        using var box = JsonDocument.Parse(File.ReadAllText(Export("boxlqr-defaults", "boxlqr", "--horizon", "4")));
        Assert.That(box.RootElement.GetProperty("singular_stages").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(box.RootElement.GetProperty("settings").GetArrayLength(), Is.EqualTo(0));
        Assert.That(box.RootElement.GetProperty("x0_override").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(box.RootElement.GetProperty("tolerance").GetDouble(), Is.EqualTo(new IpoptOptions().Tolerance));
    }

    /// <summary>
    /// The exported Jacobian of cart-pole with active bounds against central differences of ζ* re-solved at θ ± h·e_i and
    /// x_init ± h·e_j, h = 1e-4·max(1, |entry|). The solves use tol 1e-10, so ζ* is accurate to about 1e-10 and the
    /// difference quotient to about 1e-10 / h = 1e-6, plus the O(h²) truncation (about 1e-8 here): 1e-5 relative to
    /// max(1, the column's largest entry) leaves a 10× margin (measured: below 1e-9), while a wrong sign, column or active
    /// row is off by O(1) and a 0.1% error in an O(1) column is caught.
    /// </summary>
    [TestCase(4, Description = "θ_c[1], a cost weight")]
    [TestCase(1, Description = "θ_f[1], a dynamics parameter")]
    public void ExportedJacobian_MatchesCentralDifferences(int thetaIndex)
    {
        const double tol = 1e-10;
        using var doc = JsonDocument.Parse(File.ReadAllText(Export("cartpole-fd", "cartpole", "--set", "u_max=1", "--tol", "1e-10")));
        var root = doc.RootElement;
        var jacobian = root.GetProperty("jacobian").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        int d = root.GetProperty("parameter_count").GetInt32();
        Assert.That(root.GetProperty("active_set").GetArrayLength(), Is.GreaterThan(0));

        var c = ProblemCatalog.Create(new ProblemRequest("cartpole", null, ["u_max=1"], ThetaChoice.True, null));
        using var solver = new OcpSolver(c.Ocp, new OcpSolverOptions { Tolerance = tol });
        int activeCount = root.GetProperty("active_set").GetArrayLength();
        double[] Solve(double[] theta, double[] x0)
        {
            var s = solver.Solve(theta, x0, c.Context).EnsureSuccess();
            Assert.That(s.ActiveSet.Active.Count, Is.EqualTo(activeCount), "the active set must not change at ± h");
            return s.Trajectory.ToArray();
        }

        const int stateIndex = 2;   // the pole angle of x_init
        foreach (var (column, label) in new[] { (thetaIndex, $"θ[{thetaIndex}]"), (d + stateIndex, $"x_init[{stateIndex}]") })
        {
            double[] theta = (double[])c.Theta.Clone(), x0 = (double[])c.InitialState.Clone();
            ref double entry = ref column < d ? ref theta[column] : ref x0[column - d];
            double center = entry, h = 1e-4 * Math.Max(1.0, Math.Abs(center));
            entry = center + h;
            var plus = Solve((double[])theta.Clone(), (double[])x0.Clone());
            entry = center - h;
            var minus = Solve(theta, x0);
            double scale = Math.Max(1.0, jacobian.Max(r => Math.Abs(r[column]))), worst = 0;
            for (int j = 0; j < jacobian.Length; j++)
                worst = Math.Max(worst, Math.Abs((plus[j] - minus[j]) / (2 * h) - jacobian[j][column]));
            TestContext.Out.WriteLine($"{label}: max |FD − exported| = {worst:E2}, column scale {scale:E2}");
            Assert.That(worst / scale, Is.LessThan(1e-5), $"column {label}: max |FD − exported| = {worst:E2}, scale {scale:E2}");
        }
    }

    [TestCase("solve", "abc")]
    [TestCase("solve", "0")]
    [TestCase("export-kkt", "-1e-8")]
    [TestCase("export-kkt", "nan")]
    [TestCase("export-kkt", "inf")]
    public void Tol_NotPositiveFinite_IsUsageErrorNamingOption(string command, string value)
    {
        string[] args = command == "solve"
            ? ["solve", "boxlqr", $"--tol={value}"]
            : ["export-kkt", "boxlqr", "--out", Path.Combine(_folder, "bad.json"), $"--tol={value}"];
        var (code, _, err) = CliRunner.Run(args);
        Assert.That(code, Is.EqualTo(DiffOpCli.UsageError));
        Assert.That(err, Does.Contain("--tol").And.Contain(value));
        Assert.That(File.Exists(Path.Combine(_folder, "bad.json")), Is.False);
    }

    [Test]
    public void Tol_IsPassedToTheSolver()
    {
        // hs071 always goes through Ipopt: a looser tol stops it earlier (fewer iterations).
        int Iterations(string tol)
        {
            var (code, output, err) = CliRunner.Run("solve", "hs071", "--json", "--tol", tol);
            Assert.That(code, Is.EqualTo(DiffOpCli.Success), err);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("iterations").GetInt32();
        }
        Assert.That(Iterations("1e-1"), Is.LessThan(Iterations("1e-10")));
    }
}
