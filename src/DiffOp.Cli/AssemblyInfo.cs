using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("DiffOp.Cli.Tests")]
[assembly: InternalsVisibleTo("diffop-results")]   // the RESULTS.md harness in bench/ reads run folders with the CLI's types
