namespace DiffOp.Results;

/// <summary>Writes RESULTS.md and its pictures into a folder.</summary>
internal static class ResultsPublisher
{
    /// <summary>Draws the pictures and writes the report; returns the report's path.</summary>
    public static string Publish(ResultsData data, string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "results"));
        foreach (var recipe in data.Plan.Recipes)
            ResultsPlots.LearningCurves(Path.Combine(folder, ResultsReport.CurveImage(recipe.Environment)), recipe.Environment, data.Runs, data.TrueThetaEvaluationCost, data.Baselines);
        if (data.Plan.VoltageVariants)
            foreach (var mode in new[] { DiffOp.Learning.Policies.PolicyMode.Step, DiffOp.Learning.Policies.PolicyMode.Traj })
                ResultsPlots.VoltageVariants(Path.Combine(folder, ResultsReport.VariantImage(mode)), mode, data.Runs);
        ResultsPlots.BackwardScaling(Path.Combine(folder, ResultsReport.ScalingImage), data.Benchmarks);
        for (int i = 0; i < data.VoltageRolloutPictures.Count; i++)
            File.Copy(data.VoltageRolloutPictures[i], Path.Combine(folder, ResultsReport.RolloutImages[i]), overwrite: true);
        string path = Path.Combine(folder, "RESULTS.md");
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ResultsReport.Write(data));
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
