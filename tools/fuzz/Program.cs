using Gateway.Fuzz;

// gateway-fuzz: afl <target> | mutate <target> [options] | repro <target> <file>... | seeds <target> <dir>
return FuzzCommand.Run(args);
