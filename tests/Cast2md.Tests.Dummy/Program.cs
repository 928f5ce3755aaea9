// Filled in by the media work: behaves like a failing or misbehaving ffmpeg on demand.
return args.Length > 0 && int.TryParse(args[0], out var code) ? code : 1;
