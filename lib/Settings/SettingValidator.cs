using System.Globalization;

namespace Cast2md.Settings;

/// <summary>Checks a text value against a definition and gives its canonical form.</summary>
public static class SettingValidator
{
    /// <summary>Longest value accepted for a String setting.</summary>
    public const int MaxStringLength = 2000;

    /// <summary>True with the canonical value, or false with a reason a user can act on.</summary>
    public static bool TryNormalize(SettingDefinition definition, string? value, out string normalized, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(definition);
        normalized = value ?? "";
        problem = Check(definition, value ?? "", ref normalized);
        return problem is null;
    }

    private static string? Check(SettingDefinition definition, string value, ref string normalized)
    {
        var trimmed = value.Trim();
        switch (definition.Type)
        {
            case SettingType.Bool:
                if (ParseBool(trimmed) is not { } flag)
                    return $"'{value}' is not a yes/no value (use true or false).";
                normalized = flag ? "true" : "false";
                return null;

            case SettingType.Int:
                if (
                    !long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    || whole is < int.MinValue or > int.MaxValue
                )
                    return $"'{value}' is not a whole number.";
                normalized = whole.ToString(CultureInfo.InvariantCulture);
                return CheckRange(definition, whole);

            case SettingType.Double:
                if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                    return $"'{value}' is not a number (use '.' as the decimal separator).";
                normalized = number.ToString("R", CultureInfo.InvariantCulture);
                return CheckRange(definition, number);

            case SettingType.Choice:
                var options = definition.Options ?? [];
                var match = options.FirstOrDefault(o => string.Equals(o, trimmed, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                    return $"'{value}' is not one of: {string.Join(", ", options)}.";
                normalized = match;
                return null;

            default:
                if (value.Any(char.IsControl))
                    return "The value must be a single line without control characters.";
                if (value.Length > MaxStringLength)
                    return $"The value is longer than {MaxStringLength} characters.";
                normalized = trimmed;
                if (trimmed.Length == 0)
                    return definition.AllowEmpty ? null : "The value cannot be empty.";
                if (definition.IsUrl && !(Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                    return $"'{value}' is not an absolute http(s) URL.";
                return null;
        }
    }

    private static bool? ParseBool(string text) =>
        text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => null,
        };

    private static string? CheckRange(SettingDefinition definition, double value)
    {
        if (definition.Min is { } min && value < min)
            return $"{Format(value)} is below the minimum of {Format(min)}.";
        if (definition.Max is { } max && value > max)
            return $"{Format(value)} is above the maximum of {Format(max)}.";
        return null;
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
