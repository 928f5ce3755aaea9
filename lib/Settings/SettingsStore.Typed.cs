using System.Globalization;
using Cast2md.Errors;

namespace Cast2md.Settings;

public sealed partial class SettingsStore
{
    /// <summary>The effective value as text (secrets included: never show it, see <see cref="SettingValue.DisplayValue"/>).</summary>
    public string GetString(string key) => Valid(key).Value;

    /// <exception cref="Cast2mdException">The setting is not an Int, or its value from the environment or a .env file is invalid.</exception>
    public int GetInt(string key) => int.Parse(Valid(key, SettingType.Int).Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public bool GetBool(string key) => Valid(key, SettingType.Bool).Value == "true";

    /// <summary>An Int or Double setting as a number.</summary>
    public double GetDouble(string key) =>
        double.Parse(Valid(key, SettingType.Int, SettingType.Double).Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>An Int or Double setting counted in minutes.</summary>
    public TimeSpan GetMinutes(string key) => TimeSpan.FromMinutes(GetDouble(key));

    /// <summary>An Int or Double setting counted in seconds.</summary>
    public TimeSpan GetSeconds(string key) => TimeSpan.FromSeconds(GetDouble(key));

    private SettingValue Valid(string key, params SettingType[] types)
    {
        var value = Get(key);
        if (types.Length > 0 && !types.Contains(value.Definition.Type))
            throw new Cast2mdException($"{value.Key} is a {value.Definition.Type} setting, not {string.Join(" or ", types)}.");
        if (value.Problem is { } problem)
            throw new Cast2mdException($"{value.Key}: {problem}");
        return value;
    }
}
