using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Interop.Ipopt.Tests")]
[assembly: InternalsVisibleTo("DiffOp.Control")]
[assembly: InternalsVisibleTo("DiffOp.Control.Tests")]
