using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Control.Tests")]
