using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Control.Tests")]
[assembly: InternalsVisibleTo("DiffOp.Learning")]   // OptimizationPolicy.PlanReused: OcpSolver.SolveReused
