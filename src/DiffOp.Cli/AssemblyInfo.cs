using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Cli.Tests")]
