using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Symbolic.Tests")]
