using System.Runtime.CompilerServices;

// Every P/Invoke in this assembly must be blittable: the LibraryImport generator then refuses anything that would
// need runtime marshalling (a string or bool field, a reference type) instead of quietly marshalling it, which is
// how managed and native views of whisper_full_params drift apart unnoticed.
[assembly: DisableRuntimeMarshalling]
