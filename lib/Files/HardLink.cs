using System.Runtime.InteropServices;
using Cast2md.Errors;

namespace Cast2md.Files;

/// <summary>A second name for an existing file (link(2) on Unix, CreateHardLinkW on Windows); .NET has no API for it.</summary>
public static partial class HardLink
{
    private const int CrossDevice = 18; // EXDEV

    /// <exception cref="Cast2mdException">The two paths are on different file systems, or the link cannot be made.</exception>
    public static void Create(string existingFile, string newName)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!CreateHardLinkW(newName, existingFile, IntPtr.Zero))
                throw new Cast2mdException(
                    $"Cannot hard-link {existingFile} as {newName} (Windows error {Marshal.GetLastPInvokeError()}); run without --link to copy."
                );
            return;
        }
        if (link(existingFile, newName) == 0)
            return;
        var error = Marshal.GetLastPInvokeError();
        throw new Cast2mdException(
            error == CrossDevice
                ? $"Cannot hard-link {existingFile} into the data folder: they are on different file systems; run without --link to copy."
                : $"Cannot hard-link {existingFile} as {newName} ({Marshal.GetPInvokeErrorMessage(error)}); run without --link to copy."
        );
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);

    [LibraryImport("kernel32", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string newFileName, string existingFileName, IntPtr securityAttributes);
}
