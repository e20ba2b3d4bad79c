using DiffOp.Cli;

return DiffOpCli.Run(args, Console.Out, Console.Error);
