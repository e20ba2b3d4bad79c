using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Environments.Tests")]
