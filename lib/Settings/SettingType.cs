namespace Cast2md.Settings;

/// <summary>How a setting's text value is read and validated.</summary>
public enum SettingType
{
    /// <summary>Any single line of text.</summary>
    String,

    /// <summary>A whole number (invariant culture), optionally within Min/Max.</summary>
    Int,

    /// <summary>true/false (also accepted: 1/0, yes/no, on/off); stored as "true" or "false".</summary>
    Bool,

    /// <summary>A decimal number with '.' as separator, optionally within Min/Max.</summary>
    Double,

    /// <summary>One of the definition's Options (matched ignoring case, stored as listed).</summary>
    Choice,
}
