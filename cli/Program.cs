using ConsoleAppFramework;

var app = ConsoleApp.Create();
app.Add("hello", () => Console.WriteLine("hi"));
await app.RunAsync(args);
