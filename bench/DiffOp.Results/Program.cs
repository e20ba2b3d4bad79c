using DiffOp.Results;

return ResultsTool.Run(args, Console.Out, Console.Error);
