using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Learning.Tests")]
